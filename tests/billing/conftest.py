"""Fixtures for Stripe flows: the local Stripe fake, signed webhook delivery, connected accounts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from billing.connect import account_refresh, onboarding_link
from tenants.models import Municipality
from tests.stripe_fake import StripeFake

API_KEY = "sk_test_amtsplatz_fake_key_4242"
PLATFORM_SECRET = "whsec_platform_test_secret"
CONNECT_SECRET = "whsec_connect_test_secret"

Deliver = Callable[..., list[Any]]


@pytest.fixture(scope="session")
def stripe_server() -> Iterator[StripeFake]:
    fake = StripeFake(API_KEY).start()
    yield fake
    fake.stop()


@pytest.fixture
def stripe_fake(stripe_server: StripeFake, settings: Any) -> StripeFake:
    """The fake with no objects, and this installation configured to use it."""
    stripe_server.reset()
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_API_BASE = stripe_server.api_base
    settings.STRIPE_WEBHOOK_SECRET = PLATFORM_SECRET
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    return stripe_server


@pytest.fixture
def deliver(stripe_fake: StripeFake, tasks_inline: None, django_capture_on_commit_callbacks: Any) -> Deliver:
    """Post events to the platform's webhook endpoints as Stripe does: raw JSON, signed per endpoint.

    Connect events (with an ``account``) go to /webhooks/stripe-connect/, the rest to /webhooks/stripe/;
    queued processing runs in-process when the request's transaction commits.
    """

    def post(*events: dict[str, Any], times: int = 1) -> list[Any]:
        client = Client(HTTP_HOST="localhost")
        responses = []
        for event in events:
            connect = bool(event.get("account"))
            path = "/webhooks/stripe-connect/" if connect else "/webhooks/stripe/"
            payload = json.dumps(event).encode()
            for _ in range(times):
                signature = stripe_fake.sign(payload, CONNECT_SECRET if connect else PLATFORM_SECRET)
                with django_capture_on_commit_callbacks(execute=True):
                    responses.append(
                        client.post(
                            path, payload, content_type="application/json", headers={"Stripe-Signature": signature}
                        )
                    )
        return responses

    return post


def connected(municipality: Municipality, fake: StripeFake, deliver: Deliver) -> str:
    """Onboard a municipality's Stripe account through to ``charges_enabled``; its account id."""
    municipality = Municipality.objects.get(pk=municipality.pk)  # the session fixture's object stays untouched
    onboarding_link(
        municipality=municipality,
        email=f"kasse@{municipality.slug}.example",
        refresh_url="http://localhost/office/",
        return_url="http://localhost/office/",
    )
    deliver(fake.complete_onboarding(municipality.stripe_account_id))
    municipality.refresh_from_db()
    assert account_refresh(municipality) is True
    return municipality.stripe_account_id
