"""Reads for the office's billing pages and the municipality's subscription page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from billing.models import Invoice, Subscription
from tenants.models import Municipality


@dataclass(frozen=True)
class BillingRow:
    municipality: Municipality
    subscription: Subscription | None
    open_invoices: int


def billing_filter(
    municipalities: QuerySet[Municipality], *, subscription: str = "", unpaid: bool = False
) -> QuerySet[Municipality]:
    """Narrow ``municipalities`` to a subscription state ("none": without a subscription) and to those with
    unpaid invoices."""
    if subscription == "none":
        municipalities = municipalities.filter(subscription__isnull=True)
    elif subscription:
        municipalities = municipalities.filter(subscription__state=subscription)
    if unpaid:
        open_invoices = Invoice.objects.filter(municipality_id=OuterRef("pk"), status=Invoice.Status.OPEN)
        municipalities = municipalities.filter(Exists(open_invoices))
    return municipalities


def billing_rows(municipalities: Iterable[Municipality]) -> list[BillingRow]:
    """One page of the billing overview: each municipality with its subscription and number of unpaid invoices
    (two queries for the page whatever its length, none per municipality)."""
    municipalities = list(municipalities)
    ids = [m.pk for m in municipalities]
    subscriptions = {s.municipality_id: s for s in Subscription.objects.select_related("plan").filter(
        municipality_id__in=ids)}  # fmt: skip
    open_counts = dict(
        Invoice.objects.filter(municipality_id__in=ids, status=Invoice.Status.OPEN)
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "n")
    )
    return [BillingRow(m, subscriptions.get(m.pk), open_counts.get(m.pk, 0)) for m in municipalities]


@dataclass(frozen=True)
class BillingTotals:
    """Figures over every municipality of a (filtered) billing overview, computed by PostgreSQL."""

    municipalities: int
    subscriptions: dict[str, int]  # subscription state → municipalities in it; "" for those without one
    payments_online: int  # municipalities whose citizens can pay online (Stripe Connect ready)
    open_invoices: int
    open_amount: Decimal  # what the unpaid invoices still ask for, in euros

    @property
    def by_subscription(self) -> list[tuple[str, str, int]]:
        """(filter value, label, municipalities) per subscription state, "none" for those without one."""
        labels = dict(Subscription.State.choices)
        return [
            (state or "none", str(labels[state]) if state else str(_("none")), count)
            for state, count in self.subscriptions.items()
        ]


def billing_totals(municipalities: QuerySet[Municipality]) -> BillingTotals:
    """Counts and sums over ``municipalities`` in two aggregate queries, whatever their number."""
    states = Subscription.State.values
    counts = municipalities.order_by().aggregate(
        total=Count("pk"),
        none=Count("pk", filter=Q(subscription__isnull=True)),
        online=Count("pk", filter=Q(stripe_charges_enabled=True)),
        **{state: Count("pk", filter=Q(subscription__state=state)) for state in states},
    )
    invoices = Invoice.objects.filter(
        status=Invoice.Status.OPEN, municipality_id__in=municipalities.order_by().values("pk")
    ).aggregate(
        n=Count("pk"),
        amount=Coalesce(
            Sum(F("amount_due") - F("amount_paid")), Value(Decimal(0)), output_field=DecimalField(decimal_places=2)
        ),
    )
    return BillingTotals(
        municipalities=counts["total"],
        subscriptions={"": counts["none"], **{state: counts[state] for state in states}},
        payments_online=counts["online"],
        open_invoices=invoices["n"],
        open_amount=invoices["amount"],
    )


def subscription_of(municipality: Municipality) -> Subscription | None:
    return Subscription.objects.select_related("plan").filter(municipality=municipality).first()


def invoices_of(municipality: Municipality) -> QuerySet[Invoice]:
    return Invoice.objects.filter(municipality=municipality)
