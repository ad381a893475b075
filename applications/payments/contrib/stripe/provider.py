"""The Stripe payment provider for citizens' fees: Checkout on the municipality's connected account."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra import stripe_gateway
from applications.payments.contrib.stripe.checkout import PROVIDER_KEY, amount_cents, payment_refund
from tenants.context import municipality_base_url
from tenants.db import current_municipality

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from applications.models import Payment


def platform_fee_cents(amount: int) -> int:
    """The platform's share of a fee in cents (``STRIPE_PLATFORM_FEE_PERCENT``, rounded half up)."""
    share = Decimal(amount) * settings.STRIPE_PLATFORM_FEE_PERCENT / 100
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class StripeProvider:
    """Card, SEPA and wallet payments through Stripe Checkout, paid into the municipality's own account.

    Available only when Stripe is configured and the municipality's account can take charges;
    otherwise the applications fall back to paying on site.
    """

    key = PROVIDER_KEY
    label: StrOrPromise = _("Pay online (card, SEPA direct debit and more)")
    online = True

    def available(self) -> bool:
        municipality = current_municipality()
        return stripe_gateway.configured() and bool(
            municipality.stripe_account_id and municipality.stripe_charges_enabled
        )

    def start(self, payment: Payment, *, return_url: str, cancel_url: str) -> str | None:
        try:
            session = self._session(payment, return_url=return_url, cancel_url=cancel_url)
        except stripe_gateway.PaymentServiceError as error:
            raise ValidationError(error.message) from error
        if payment.provider_reference != session["id"]:
            payment.provider_reference = session["id"]
            payment.save(update_fields=["provider_reference"])
        return str(session["url"])

    def _session(self, payment: Payment, *, return_url: str, cancel_url: str) -> dict[str, Any]:
        municipality = current_municipality()
        base = municipality_base_url(municipality)
        application = payment.application
        back = reverse("billing-stripe-return", kwargs={"payment_id": payment.public_id})
        cents = amount_cents(payment)
        return stripe_gateway.checkout_session_create(
            account_id=municipality.stripe_account_id,
            idempotency_key=f"payment-{payment.public_id}-checkout",
            amount_cents=cents,
            description=f"{application.service_name} · {application.reference}",
            client_reference_id=str(payment.public_id),
            metadata={"payment": str(payment.public_id), "reference": str(application.reference)},
            success_url=f"{base}{back}?{urlencode({'next': return_url})}",
            cancel_url=f"{base}{cancel_url}",
            application_fee_cents=platform_fee_cents(cents),
            locale=translation.get_language() or settings.LANGUAGE_CODE,
        )

    def refund(self, payment: Payment) -> None:
        try:
            payment_refund(payment, account_id=current_municipality().stripe_account_id)
        except stripe_gateway.PaymentServiceError as error:
            raise ValidationError(error.message) from error
