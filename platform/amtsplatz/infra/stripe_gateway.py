"""The one place that talks to Stripe: keys from the environment, verified webhooks, outbound calls.

Keys are read from settings (environment variables) at call time and never logged. Every POST carries an
idempotency key derived from our own object, so a retried task or a double click never creates a second
charge; network errors and Stripe's 409/5xx answers are retried by the SDK with exponential backoff.
Stripe's errors become ``PaymentServiceError`` with a message a person understands.
See docs/decisions/0009-stripe-design.md.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

ENDPOINT_SECRETS = {"platform": "STRIPE_WEBHOOK_SECRET", "connect": "STRIPE_CONNECT_WEBHOOK_SECRET"}
NETWORK_RETRIES = 3


class WebhookRefused(Exception):
    """The request is not a genuine Stripe event for this endpoint (the message says why, without secrets)."""


class WebhookNotConfigured(Exception):
    """The endpoint's signing secret is not set on this installation."""


class PaymentServiceError(Exception):
    """A Stripe call failed; ``message`` is meant for the person in front of the screen."""

    def __init__(self, message: StrOrPromise, *, retryable: bool = False) -> None:
        super().__init__(str(message))
        self.message = message
        self.retryable = retryable


def webhook_event(payload: bytes, signature: str | None, endpoint: str) -> dict[str, Any]:
    """The event in ``payload`` after checking its ``Stripe-Signature`` against the endpoint's secret.

    Raises ``WebhookNotConfigured`` without a secret and ``WebhookRefused`` for a missing, forged or
    stale signature or a body that is not an event.
    """
    secret = getattr(settings, ENDPOINT_SECRETS[endpoint], "")
    if not secret:
        raise WebhookNotConfigured(ENDPOINT_SECRETS[endpoint])
    if not signature:
        raise WebhookRefused("missing Stripe-Signature header")
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise WebhookRefused("signature does not match") from error
    except ValueError as error:
        raise WebhookRefused("body is not a JSON event") from error
    data = event.to_dict()
    if not isinstance(data.get("id"), str) or not isinstance(data.get("type"), str):
        raise WebhookRefused("event without id or type")
    return data


def configured() -> bool:
    """Whether this installation has a Stripe secret key."""
    return bool(settings.STRIPE_SECRET_KEY)


def _client() -> stripe.StripeClient:
    if not configured():
        raise PaymentServiceError(_("Online payment is not set up on this installation. Please pay on site."))
    base: Any = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=NETWORK_RETRIES)


def _options(idempotency_key: str | None = None, account: str | None = None) -> Any:
    options: dict[str, str] = {}
    if idempotency_key:
        options["idempotency_key"] = idempotency_key
    if account:
        options["stripe_account"] = account
    return options


def _plain(error: stripe.StripeError, operation: str) -> PaymentServiceError:
    """Log what operators need (never a key) and return what the person should read."""
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError | stripe.APIError):
        logger.warning("Stripe %s failed after retries: %s", operation, type(error).__name__)
        return PaymentServiceError(
            _(
                "The online payment service cannot be reached right now. Please try again in a few minutes "
                "or choose to pay on site."
            ),
            retryable=True,
        )
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        logger.error("Stripe %s refused our credentials (%s): check STRIPE_SECRET_KEY", operation, type(error).__name__)
        return PaymentServiceError(
            _("Online payment is not set up correctly at the moment. Please pay on site or try again later.")
        )
    if isinstance(error, stripe.CardError):
        return PaymentServiceError(_("The payment was declined: %(reason)s") % {"reason": error.user_message or ""})
    logger.error("Stripe %s was refused: %s (code %s)", operation, error.user_message or error, error.code)
    return PaymentServiceError(
        _("The payment service refused the request. Please try again later or choose to pay on site.")
    )


def _call(operation: str, function: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        result = function(*args, **kwargs)
    except stripe.StripeError as error:
        raise _plain(error, operation) from error
    data: dict[str, Any] = result.to_dict()
    return data


# --- Connect: the municipalities' own accounts -------------------------------------------------------


def account_create(*, municipality_key: str, email: str, name: str) -> dict[str, Any]:
    """A Standard connected account for a municipality (one per municipality, whatever the retries)."""
    client = _client()
    params: Any = {
        "type": "standard",
        "country": "DE",
        "email": email,
        "business_type": "government_entity",
        "business_profile": {"name": name},
        "metadata": {"municipality": municipality_key},
    }
    return _call("account create", client.v1.accounts.create, params, _options(f"account-{municipality_key}"))


def account_retrieve(account_id: str) -> dict[str, Any]:
    """The connected account's current state (``charges_enabled``, requirements)."""
    return _call("account retrieve", _client().v1.accounts.retrieve, account_id)


def account_link_create(*, account_id: str, refresh_url: str, return_url: str) -> str:
    """A one-time onboarding URL at Stripe for the municipality's treasurer."""
    params: Any = {
        "account": account_id,
        "refresh_url": refresh_url,
        "return_url": return_url,
        "type": "account_onboarding",
    }
    return str(_call("account link", _client().v1.account_links.create, params)["url"])


# --- Citizen fees: direct charges on the municipality's account --------------------------------------


def checkout_session_create(
    *,
    account_id: str,
    idempotency_key: str,
    amount_cents: int,
    description: str,
    client_reference_id: str,
    metadata: dict[str, str],
    success_url: str,
    cancel_url: str,
    application_fee_cents: int = 0,
    locale: str = "de",
) -> dict[str, Any]:
    """A Checkout Session on the connected account for one fee payment."""
    intent: dict[str, Any] = {"description": description, "metadata": metadata}
    if application_fee_cents:
        intent["application_fee_amount"] = application_fee_cents
    params: Any = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {"currency": "eur", "unit_amount": amount_cents, "product_data": {"name": description}},
            }
        ],
        "client_reference_id": client_reference_id,
        "metadata": metadata,
        "payment_intent_data": intent,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": locale,
    }
    options = _options(idempotency_key, account_id)
    return _call("checkout session create", _client().v1.checkout.sessions.create, params, options)


def checkout_session_retrieve(*, account_id: str, session_id: str) -> dict[str, Any]:
    """The Checkout Session's current state, read from the connected account."""
    options = _options(account=account_id)
    return _call("checkout session retrieve", _client().v1.checkout.sessions.retrieve, session_id, None, options)


def refund_create(*, account_id: str, payment_intent: str, idempotency_key: str) -> dict[str, Any]:
    """Refund a whole payment on the connected account (the platform fee goes back too)."""
    params: Any = {"payment_intent": payment_intent, "refund_application_fee": True}
    return _call("refund", _client().v1.refunds.create, params, _options(idempotency_key, account_id))


# --- Billing: the municipalities as the platform's customers -----------------------------------------


def price_create(*, plan_key: str, name: str, amount_cents: int, interval: str) -> dict[str, Any]:
    """A recurring EUR price (with its product) for a plan; prices are immutable at Stripe."""
    params: Any = {
        "currency": "eur",
        "unit_amount": amount_cents,
        "recurring": {"interval": interval},
        "product_data": {"name": name},
        "metadata": {"plan": plan_key},
    }
    options = _options(f"price-{plan_key}-{amount_cents}-{interval}")
    return _call("price create", _client().v1.prices.create, params, options)


def customer_create(*, municipality_key: str, name: str, email: str) -> dict[str, Any]:
    """The municipality as a customer of the platform."""
    params: Any = {"name": name, "email": email, "metadata": {"municipality": municipality_key}}
    return _call("customer create", _client().v1.customers.create, params, _options(f"customer-{municipality_key}"))


def subscription_create(*, customer_id: str, price_id: str, idempotency_key: str) -> dict[str, Any]:
    """Subscribe a customer to a price; invoices are sent by Stripe and paid by transfer or card."""
    params: Any = {
        "customer": customer_id,
        "items": [{"price": price_id}],
        "collection_method": "send_invoice",
        "days_until_due": 30,
    }
    return _call("subscription create", _client().v1.subscriptions.create, params, _options(idempotency_key))


def subscription_retrieve(subscription_id: str) -> dict[str, Any]:
    """The subscription's current state (the truth when webhook events arrive out of order)."""
    return _call("subscription retrieve", _client().v1.subscriptions.retrieve, subscription_id)


def invoice_retrieve(invoice_id: str) -> dict[str, Any]:
    """An invoice's current state."""
    return _call("invoice retrieve", _client().v1.invoices.retrieve, invoice_id)


def portal_session_create(*, customer_id: str, return_url: str) -> str:
    """A short-lived URL of Stripe's customer portal (invoices, payment method) for a municipality's admin."""
    params: Any = {"customer": customer_id, "return_url": return_url}
    return str(_call("customer portal", _client().v1.billing_portal.sessions.create, params)["url"])
