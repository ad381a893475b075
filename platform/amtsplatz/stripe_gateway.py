"""The one place that talks to Stripe: keys from the environment, verified webhook events.

Keys are read from settings (environment variables) at call time and never logged; see
docs/decisions/0009-stripe-design.md.
"""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings

ENDPOINT_SECRETS = {"platform": "STRIPE_WEBHOOK_SECRET", "connect": "STRIPE_CONNECT_WEBHOOK_SECRET"}


class WebhookRefused(Exception):
    """The request is not a genuine Stripe event for this endpoint (the message says why, without secrets)."""


class WebhookNotConfigured(Exception):
    """The endpoint's signing secret is not set on this installation."""


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
