"""Citizens' fees through Stripe Checkout on the municipality's connected account: settle and refund.

Checkout events arrive on the platform host (stored once by billing); the municipality is found by the
event's connected account, never by anything the event claims, so a session on Wurzen's account can
never settle a payment of Gera.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from amtsplatz.infra import stripe_gateway
from amtsplatz.infra.stripe_events import handles
from applications.models import Payment
from applications.services import payment_confirm
from tenants.context import municipality_context
from tenants.models import Municipality

logger = logging.getLogger(__name__)
PROVIDER_KEY = "stripe"


def amount_cents(payment: Payment) -> int:
    return int(payment.amount * 100)


def checkout_settle(*, account_id: str, session_id: str) -> bool:
    """Confirm the payment behind a paid Checkout Session; call inside the municipality's schema.

    The session is read from Stripe (on the municipality's account) and must match the payment in
    reference, amount and currency. True when this call confirmed the payment.
    """
    session = stripe_gateway.checkout_session_retrieve(account_id=account_id, session_id=session_id)
    payment = Payment.objects.filter(provider=PROVIDER_KEY, provider_reference=session["id"]).first()
    if payment is None or str(payment.public_id) != session.get("client_reference_id"):
        logger.warning("Checkout session %s on %s matches no payment here; ignored", session["id"], account_id)
        return False
    if session.get("payment_status") != "paid":
        return False
    if session.get("amount_total") != amount_cents(payment) or session.get("currency") != "eur":
        logger.error("Checkout session %s paid %s %s for a fee of %s EUR; not confirmed", session["id"],
                     session.get("amount_total"), session.get("currency"), payment.amount)  # fmt: skip
        return False
    if payment.status in (Payment.State.CANCELLED, Payment.State.REFUNDED):
        logger.warning("Payment %s was paid after the application was withdrawn; refunding", payment.public_id)
        payment_refund(payment, account_id=account_id)
        return False
    return payment_confirm(payment, provider_reference=session["id"])


def payment_refund(payment: Payment, *, account_id: str) -> None:
    """Give a Checkout payment back in full (once, whatever the retries)."""
    session = stripe_gateway.checkout_session_retrieve(account_id=account_id, session_id=payment.provider_reference)
    if not session.get("payment_intent"):
        return  # never paid: nothing to give back
    stripe_gateway.refund_create(
        account_id=account_id,
        payment_intent=str(session["payment_intent"]),
        idempotency_key=f"refund-{payment.public_id}",
    )


@handles("connect", "checkout.session.completed", "checkout.session.async_payment_succeeded")
def _on_checkout_paid(record: Any) -> None:
    """A Checkout event on a connected account (``record``: billing's stored event)."""
    municipality = Municipality.objects.filter(stripe_account_id=record.account).first() if record.account else None
    if municipality is None:
        logger.warning("Stripe event %s for account %r of no municipality; ignored", record.event_id, record.account)
        return
    with municipality_context(municipality), transaction.atomic():
        checkout_settle(account_id=record.account, session_id=record.payload["data"]["object"]["id"])
