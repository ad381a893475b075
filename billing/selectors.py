"""Reads for the office's billing pages and the municipality's subscription page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from billing.models import Invoice, Subscription
from tenants.models import Municipality
from tenants.selectors import municipality_list


@dataclass(frozen=True)
class BillingRow:
    municipality: Municipality
    subscription: Subscription | None
    open_invoices: int


def billing_overview() -> list[BillingRow]:
    """Every municipality with its subscription and number of unpaid invoices (three queries)."""
    subscriptions = {s.municipality_id: s for s in Subscription.objects.select_related("plan")}
    open_counts: dict[int, int] = {}
    for municipality_id in Invoice.objects.filter(status=Invoice.Status.OPEN).values_list("municipality_id", flat=True):
        open_counts[municipality_id] = open_counts.get(municipality_id, 0) + 1
    return [BillingRow(m, subscriptions.get(m.pk), open_counts.get(m.pk, 0)) for m in municipality_list()]


def subscription_of(municipality: Municipality) -> Subscription | None:
    return Subscription.objects.select_related("plan").filter(municipality=municipality).first()


def invoices_of(municipality: Municipality) -> QuerySet[Invoice]:
    return Invoice.objects.filter(municipality=municipality)
