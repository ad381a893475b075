"""Writes for the municipalities' subscriptions: plans, Stripe Billing, the past-due → suspended machine.

Stripe is the truth: every webhook re-reads the subscription (and its latest invoice) instead of trusting
the event's payload, so events delivered late or out of order cannot move the state backwards.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsplatz.infra import stripe_gateway
from amtsplatz.infra.stripe_events import handles
from billing.models import Invoice, Plan, StripeEvent, Subscription
from tenants.models import Municipality, SuspensionReason
from tenants.services import municipality_resume, municipality_suspend

logger = logging.getLogger(__name__)

State = Subscription.State
# The state machine as data: which state may follow which.
TRANSITIONS: dict[str, set[str]] = {
    State.PENDING: {State.ACTIVE, State.PAST_DUE, State.CANCELLED},
    State.ACTIVE: {State.PAST_DUE, State.CANCELLED},
    State.PAST_DUE: {State.ACTIVE, State.SUSPENDED, State.CANCELLED},
    State.SUSPENDED: {State.ACTIVE, State.CANCELLED},
    State.CANCELLED: set(),
}
# Stripe's subscription status → ours (None: nothing to change yet).
STRIPE_STATUS = {
    "active": State.ACTIVE,
    "trialing": State.ACTIVE,
    "past_due": State.PAST_DUE,
    "unpaid": State.PAST_DUE,
    "canceled": State.CANCELLED,
    "incomplete_expired": State.CANCELLED,
    "incomplete": None,
    "paused": None,
}


def _moment(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=timezone.get_current_timezone()) if timestamp else None


def _euros(cents: int | None) -> Decimal:
    return Decimal(cents or 0) / 100


def plan_for(inhabitants: int, interval: str = Plan.Interval.MONTH) -> Plan | None:
    """The offered plan whose inhabitants tier covers ``inhabitants`` for the interval."""
    for plan in Plan.objects.filter(active=True, interval=interval):
        if plan.covers(inhabitants):
            return plan
    return None


def _price_ensure(plan: Plan) -> str:
    if plan.stripe_price_id and plan.stripe_price_for == plan.price_signature:
        return plan.stripe_price_id
    price = stripe_gateway.price_create(
        plan_key=plan.key, name=f"Amtsplatz {plan.name}", amount_cents=plan.amount_cents, interval=plan.interval
    )
    plan.stripe_price_id, plan.stripe_price_for = price["id"], plan.price_signature
    plan.save(update_fields=["stripe_price_id", "stripe_price_for"])
    return plan.stripe_price_id


def subscription_start(*, municipality: Municipality, plan: Plan, billing_email: str) -> Subscription:
    """Make the municipality a Stripe customer subscribed to ``plan`` (idempotent per municipality and plan).

    Raises ``PaymentServiceError`` with a readable message when Stripe cannot be reached.
    """
    existing = Subscription.objects.filter(municipality=municipality).first()
    if existing and existing.state not in (State.PENDING, State.CANCELLED) and existing.plan_id == plan.pk:
        raise ValidationError(_("%(name)s is already subscribed to this plan.") % {"name": municipality.name})
    price_id = _price_ensure(plan)
    customer_id = existing.stripe_customer_id if existing and existing.stripe_customer_id else ""
    if not customer_id:
        customer_id = stripe_gateway.customer_create(
            municipality_key=municipality.slug, name=municipality.name, email=billing_email
        )["id"]
    remote = stripe_gateway.subscription_create(
        customer_id=customer_id, price_id=price_id, idempotency_key=f"subscription-{municipality.slug}-{plan.key}"
    )
    with transaction.atomic():
        subscription, _created = Subscription.objects.select_for_update().update_or_create(
            municipality=municipality,
            defaults={
                "plan": plan,
                "stripe_customer_id": customer_id,
                "stripe_subscription_id": remote["id"],
                "state": State.PENDING,
                "past_due_since": None,
            },
        )
        subscription_sync(subscription, remote)
        if isinstance(remote.get("latest_invoice"), str):  # the first invoice, before its webhook arrives
            invoice_mirror(stripe_gateway.invoice_retrieve(remote["latest_invoice"]))
    return subscription


def _transition(subscription: Subscription, target: str) -> None:
    if target == subscription.state:
        return
    if target not in TRANSITIONS[subscription.state]:
        logger.warning("Subscription %s: %s → %s is not allowed; kept", subscription.pk, subscription.state, target)
        return
    logger.info("Subscription of %s: %s → %s", subscription.municipality.slug, subscription.state, target)
    subscription.state = target
    subscription.state_changed_at = timezone.now()


def subscription_sync(subscription: Subscription, remote: dict[str, Any], *, now: datetime | None = None) -> None:
    """Bring our mirror to Stripe's current state, suspending or resuming the municipality as due.

    Call inside a transaction holding the subscription's row lock.
    """
    now = now or timezone.now()
    target = STRIPE_STATUS.get(str(remote.get("status")))
    subscription.current_period_end = _period_end(remote) or subscription.current_period_end
    if target == State.PAST_DUE:
        if subscription.past_due_since is None:
            subscription.past_due_since = _overdue_since(remote) or now
        if subscription.state != State.SUSPENDED:
            _transition(subscription, State.PAST_DUE)
        subscription.save()
        grace_check(subscription, now=now)
        return
    if target == State.ACTIVE:
        subscription.past_due_since = None
        if subscription.state == State.SUSPENDED:
            municipality_resume(municipality=subscription.municipality, reason=SuspensionReason.BILLING)
    if target is not None:
        _transition(subscription, target)
    subscription.save()


def _period_end(remote: dict[str, Any]) -> datetime | None:
    """The end of the paid period; since API 2025-03-31 it lives on the subscription's items."""
    ends = [item.get("current_period_end") for item in (remote.get("items") or {}).get("data", [])]
    return _moment(max((end for end in ends if end), default=None))


def _invoice_subscription(remote: dict[str, Any]) -> str | None:
    """The subscription an invoice bills (``parent.subscription_details`` since API 2025-03-31)."""
    details = (remote.get("parent") or {}).get("subscription_details") or {}
    subscription = details.get("subscription")
    return subscription if isinstance(subscription, str) else None


def _overdue_since(remote: dict[str, Any]) -> datetime | None:
    """When the unpaid invoice fell due, so a late-seen past due still counts its grace from then."""
    invoice_id = remote.get("latest_invoice")
    if not isinstance(invoice_id, str):
        return None
    return _moment(stripe_gateway.invoice_retrieve(invoice_id).get("due_date"))


def grace_check(subscription: Subscription, *, now: datetime | None = None) -> bool:
    """Suspend the municipality when the subscription stayed past due beyond the grace period."""
    now = now or timezone.now()
    if subscription.state != State.PAST_DUE or subscription.past_due_since is None:
        return False
    if now - subscription.past_due_since < timedelta(days=settings.BILLING_GRACE_DAYS):
        return False
    _transition(subscription, State.SUSPENDED)
    subscription.save(update_fields=["state", "state_changed_at"])
    municipality_suspend(municipality=subscription.municipality, reason=SuspensionReason.BILLING)
    return True


def suspend_overdue(*, now: datetime | None = None) -> int:
    """Suspend every municipality whose grace period ended (run hourly by beat); how many were suspended."""
    suspended = 0
    for pk in Subscription.objects.filter(state=State.PAST_DUE).values_list("pk", flat=True):
        with transaction.atomic():
            subscription = Subscription.objects.select_for_update().select_related("municipality").get(pk=pk)
            suspended += grace_check(subscription, now=now)
    return suspended


def _subscription_from_stripe(subscription_id: str) -> None:
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("municipality")
        .filter(stripe_subscription_id=subscription_id)
        .first()
    )
    if subscription is None:
        logger.info("Stripe subscription %s is not one of ours; ignored", subscription_id)
        return
    subscription_sync(subscription, stripe_gateway.subscription_retrieve(subscription_id))


def invoice_mirror(remote: dict[str, Any]) -> Invoice | None:
    """Store Stripe's current view of an invoice for the office (None: not a municipality's invoice)."""
    subscription = Subscription.objects.filter(stripe_customer_id=remote.get("customer") or "-").first()
    if subscription is None:
        return None
    invoice, _created = Invoice.objects.update_or_create(
        stripe_invoice_id=remote["id"],
        defaults={
            "municipality_id": subscription.municipality_id,
            "number": remote.get("number") or "",
            "status": remote.get("status") or Invoice.Status.DRAFT,
            "amount_due": _euros(remote.get("amount_due")),
            "amount_paid": _euros(remote.get("amount_paid")),
            "due_date": _moment(remote.get("due_date")),
            "issued_at": _moment(remote.get("created")) or timezone.now(),
            "hosted_invoice_url": remote.get("hosted_invoice_url") or "",
        },
    )
    return invoice


@handles("platform", "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted")
def _on_subscription_event(record: StripeEvent) -> None:
    _subscription_from_stripe(record.payload["data"]["object"]["id"])


@handles(
    "platform",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.overdue",
    "invoice.marked_uncollectible",
    "invoice.voided",
)
def _on_invoice_event(record: StripeEvent) -> None:
    remote = stripe_gateway.invoice_retrieve(record.payload["data"]["object"]["id"])
    invoice_mirror(remote)
    subscription_id = _invoice_subscription(remote)
    if subscription_id:
        _subscription_from_stripe(subscription_id)


def portal_url(*, municipality: Municipality, return_url: str) -> str:
    """A link to Stripe's customer portal where the municipality's admin sees invoices and pays."""
    subscription = Subscription.objects.filter(municipality=municipality).exclude(stripe_customer_id="").first()
    if subscription is None:
        raise ValidationError(_("There is no subscription for this municipality yet."))
    return stripe_gateway.portal_session_create(customer_id=subscription.stripe_customer_id, return_url=return_url)
