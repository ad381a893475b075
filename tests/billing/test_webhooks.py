"""Stripe webhooks on the platform host: genuine events once, forged ones never."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import pytest
from django.test import Client

from billing.models import StripeEvent
from tenants.models import Municipality

pytestmark = pytest.mark.django_db
PLATFORM_SECRET = "whsec_platform_test_secret"
CONNECT_SECRET = "whsec_connect_test_secret"


@pytest.fixture(autouse=True)
def _secrets(settings: Any) -> None:
    settings.STRIPE_WEBHOOK_SECRET = PLATFORM_SECRET
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET


def _signed(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header as Stripe computes it: HMAC-SHA256 over "<t>.<body>"."""
    stamp = timestamp or int(time.time())
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def _event(event_id: str = "evt_test_1", event_type: str = "checkout.session.completed", **extra: Any) -> bytes:
    body = {"id": event_id, "object": "event", "type": event_type, "livemode": False,
            "data": {"object": {"id": "cs_test_1", "object": "checkout.session"}}, **extra}  # fmt: skip
    return json.dumps(body).encode()


def _post(client: Client, path: str, payload: bytes, signature: str | None) -> Any:
    headers = {"Stripe-Signature": signature} if signature is not None else {}
    return client.post(path, payload, content_type="application/json", headers=headers)


def test_a_genuine_event_is_recorded_and_processed_once(platform_client: Client, settings: Any) -> None:
    payload = _event()
    for delivery in range(3):  # Stripe redelivers; the second and third change nothing
        response = _post(platform_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET))
        assert response.status_code == 200
        assert response.json() == {"received": "evt_test_1", "duplicate": delivery > 0}
    record = StripeEvent.objects.get(event_id="evt_test_1")
    assert (record.endpoint, record.type, record.payload["data"]["object"]["id"]) == (
        "platform",
        "checkout.session.completed",
        "cs_test_1",
    )


def test_connect_events_keep_their_account(platform_client: Client) -> None:
    payload = _event("evt_connect_1", "account.updated", account="acct_gera")
    response = _post(platform_client, "/webhooks/stripe-connect/", payload, _signed(payload, CONNECT_SECRET))
    assert response.status_code == 200
    assert StripeEvent.objects.get(event_id="evt_connect_1").account == "acct_gera"


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "t=1,v1=deadbeef",
        "garbage",
        "connect-secret",  # signed with the other endpoint's secret
        "stale",  # a genuine signature from an hour ago (replay)
    ],
)
def test_a_forged_or_stale_signature_changes_nothing(platform_client: Client, signature: str | None) -> None:
    payload = _event("evt_forged")
    if signature == "connect-secret":
        signature = _signed(payload, CONNECT_SECRET)
    elif signature == "stale":
        signature = _signed(payload, PLATFORM_SECRET, timestamp=int(time.time()) - 3600)
    response = _post(platform_client, "/webhooks/stripe/", payload, signature)
    assert response.status_code == 400
    assert "Signatur" in response.json()["detail"]  # German by default, for the person reading the log
    assert not StripeEvent.objects.filter(event_id="evt_forged").exists()


def test_a_signed_body_that_is_not_an_event_is_refused(platform_client: Client) -> None:
    payload = b"not json at all"
    response = _post(platform_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET))
    assert response.status_code == 400 and not StripeEvent.objects.exists()


def test_without_a_secret_the_endpoint_refuses_and_says_so(platform_client: Client, settings: Any) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = _event("evt_unconfigured")
    response = _post(platform_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET))
    assert response.status_code == 503 and not StripeEvent.objects.exists()


def test_municipality_hosts_have_no_webhook_endpoint(gera: Municipality, gera_client: Client) -> None:
    payload = _event("evt_on_tenant")
    response = _post(gera_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET))
    assert response.status_code == 404 and not StripeEvent.objects.exists()


def test_only_post_is_accepted(platform_client: Client) -> None:
    assert platform_client.get("/webhooks/stripe/").status_code == 405


def test_no_secret_appears_in_the_logs(platform_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    payload = _event("evt_logged")
    _post(platform_client, "/webhooks/stripe/", payload, "t=1,v1=forged")
    _post(platform_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused" in logged  # the forged delivery was logged …
    assert PLATFORM_SECRET not in logged and CONNECT_SECRET not in logged  # … without a secret


def test_a_stored_event_is_applied_once(platform_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from amtsplatz.infra import stripe_events
    from billing import services

    applied: list[str] = []
    monkeypatch.setitem(
        stripe_events.HANDLERS,
        ("platform", "checkout.session.completed"),
        lambda record: applied.append(record.event_id),
    )
    payload = _event("evt_apply")
    _post(platform_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET))
    record = StripeEvent.objects.get(event_id="evt_apply")
    services.event_process(record.pk)
    services.event_process(record.pk)  # a retried task
    record.refresh_from_db()
    assert applied == ["evt_apply"] and record.processed_at is not None


def test_unknown_event_types_are_acknowledged_and_logged(
    platform_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    from billing import services

    caplog.set_level(logging.INFO, logger="billing.services")
    payload = _event("evt_unknown", "customer.tax_id.created")
    assert _post(platform_client, "/webhooks/stripe/", payload, _signed(payload, PLATFORM_SECRET)).status_code == 200
    services.event_process(StripeEvent.objects.get(event_id="evt_unknown").pk)
    assert "customer.tax_id.created acknowledged" in caplog.text
    assert StripeEvent.objects.get(event_id="evt_unknown").processed_at is not None
