"""Stripe Connect: each municipality's own account (citizens' fees are paid into it by the applications'
Stripe provider, ``applications.payments.contrib.stripe``).

Onboarding starts from the office with an account link; whether the account can take charges is read
from Stripe (on return from onboarding and on every ``account.updated`` event).
"""

from __future__ import annotations

import logging

from amtsplatz.infra import stripe_gateway
from amtsplatz.infra.stripe_events import handles
from billing.models import StripeEvent
from tenants.models import Municipality

logger = logging.getLogger(__name__)


def onboarding_link(*, municipality: Municipality, email: str, refresh_url: str, return_url: str) -> str:
    """The Stripe onboarding URL for the municipality's account (created on first use, once)."""
    if not municipality.stripe_account_id:
        account = stripe_gateway.account_create(municipality_key=municipality.slug, email=email, name=municipality.name)
        municipality.stripe_account_id = account["id"]
        municipality.save(update_fields=["stripe_account_id"])  # save(): the host cache hears of it
    return stripe_gateway.account_link_create(
        account_id=municipality.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def account_refresh(municipality: Municipality) -> bool:
    """Read from Stripe whether the municipality's account can take charges, store and return it."""
    if not municipality.stripe_account_id:
        return False
    account = stripe_gateway.account_retrieve(municipality.stripe_account_id)
    enabled = bool(account.get("charges_enabled"))
    if enabled != municipality.stripe_charges_enabled:
        municipality.stripe_charges_enabled = enabled
        municipality.save(update_fields=["stripe_charges_enabled"])  # save(): the host cache hears of it
        logger.info("Stripe account of %s can take charges: %s", municipality.slug, enabled)
    return enabled


def _municipality_of(record: StripeEvent) -> Municipality | None:
    municipality = Municipality.objects.filter(stripe_account_id=record.account).first() if record.account else None
    if municipality is None:
        logger.warning("Stripe event %s for account %r of no municipality; ignored", record.event_id, record.account)
    return municipality


@handles("connect", "account.updated")
def _on_account_updated(record: StripeEvent) -> None:
    municipality = _municipality_of(record)
    if municipality is not None:
        account_refresh(municipality)
