"""Citizens' fees through Stripe Connect: paid into the municipality's own account, settled once, refunded."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.infra import stripe_gateway
from applications.models import Application, Payment
from applications.payments.contrib.stripe.checkout import checkout_settle
from applications.states import Status
from tenants.context import municipality_context, portal_base_url
from tenants.models import Municipality
from tests.applications.conftest import offer, parking_filed
from tests.billing.conftest import API_KEY, CONNECT_SECRET, PLATFORM_SECRET, Deliver, connected
from tests.stripe_fake import StripeFake

pytestmark = pytest.mark.django_db
CAR = {"kennzeichen": "G-AB 123", "gesamtmasse": "1500", "halter": "true"}
GERA = portal_base_url("gera.localhost")
PROOF = (  # one page: the upload check parses every PDF (amtsplatz/infra/pdf_check.py)
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n"
    b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def accounts(gera: Municipality, wurzen: Municipality, stripe_fake: StripeFake, deliver: Deliver) -> dict[str, str]:
    """Gera and Wurzen with connected accounts that can take charges; Gera's parking permit paid via Stripe."""
    offer("gera", "bewohnerparkausweis", provider="stripe")
    offer("wurzen", "bewohnerparkausweis", provider="stripe")
    return {"gera": connected(gera, stripe_fake, deliver), "wurzen": connected(wurzen, stripe_fake, deliver)}


def _pay(client: Client, application: Application) -> Any:
    return client.post(f"/antraege/status/{application.access_token}/", {"action": "pay"})


def _application(pk: int) -> Application:
    with schema_context("gera"):
        return Application.objects.get(pk=pk)


def test_a_gera_citizen_pays_into_geras_account_and_the_webhook_approves_once(
    accounts: dict[str, str], stripe_fake: StripeFake, deliver: Deliver, django_capture_on_commit_callbacks: Any
) -> None:
    assert accounts["gera"] != accounts["wurzen"]
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    assert application.status == Status.AWAITING_PAYMENT

    response = _pay(client, application)
    assert response.status_code == 302 and response["Location"].startswith("https://checkout.stripe.com/")
    [session] = stripe_fake.owned_by(accounts["gera"], "checkout.session")
    assert stripe_fake.owned_by(accounts["wurzen"], "checkout.session") == []  # never Wurzen's account
    assert session["amount_total"] == 3070 and session["currency"] == "eur"
    assert session["success_url"].startswith(GERA)  # back on the municipality's own host
    assert session["cancel_url"] == f"{GERA}/antraege/status/{application.access_token}/"

    event = stripe_fake.pay_checkout(session["id"], accounts["gera"])
    responses = deliver(event, times=3)  # Stripe redelivers
    assert [r.json()["duplicate"] for r in responses] == [False, True, True]

    application = _application(application.pk)
    assert application.status == Status.APPROVED
    with schema_context("gera"):
        assert list(application.payments.values_list("status", "provider_reference")) == [
            (Payment.State.PAID, session["id"])
        ]
        assert application.history.filter(to_status=Status.APPROVED).count() == 1
    # Coming back from Stripe afterwards changes nothing and lands on the status page.
    back = client.get(session["success_url"].removeprefix(GERA))
    assert back.status_code == 302 and back["Location"] == f"/antraege/status/{application.access_token}/"
    assert _application(application.pk).history.count() == application.history.count()


def test_returning_from_checkout_settles_before_the_webhook_arrives(
    accounts: dict[str, str], stripe_fake: StripeFake, deliver: Deliver, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    _pay(client, application)
    [session] = stripe_fake.owned_by(accounts["gera"], "checkout.session")
    event = stripe_fake.pay_checkout(session["id"], accounts["gera"])
    with django_capture_on_commit_callbacks(execute=True):
        back = client.get(session["success_url"].removeprefix(GERA), follow=True)
    assert "Zahlung ist eingegangen" in back.content.decode()
    assert _application(application.pk).status == Status.APPROVED
    deliver(event)  # the late webhook finds the payment paid
    with schema_context("gera"):
        assert Payment.objects.get(application=application).status == Payment.State.PAID


def test_a_session_on_wurzens_account_cannot_settle_a_payment_of_gera(
    accounts: dict[str, str], stripe_fake: StripeFake, deliver: Deliver, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    _pay(client, application)
    with schema_context("gera"):
        payment = Payment.objects.get(application=application)
    # Someone pays a session on Wurzen's account that claims to be Gera's payment.
    wurzen = Municipality.objects.get(slug="wurzen")
    with municipality_context(wurzen):
        forged = stripe_gateway.checkout_session_create(
            account_id=accounts["wurzen"], idempotency_key="forged", amount_cents=3070, description="x",
            client_reference_id=str(payment.public_id), metadata={}, success_url="http://x/", cancel_url="http://x/",
        )  # fmt: skip
    deliver(stripe_fake.pay_checkout(forged["id"], accounts["wurzen"]))
    assert _application(application.pk).status == Status.AWAITING_PAYMENT
    gera = Municipality.objects.get(slug="gera")
    with municipality_context(gera), pytest.raises(stripe_gateway.PaymentServiceError):
        checkout_settle(account_id=accounts["gera"], session_id=forged["id"])  # Stripe: not on Gera's account


def test_a_wrong_amount_is_not_accepted_as_payment(
    accounts: dict[str, str], stripe_fake: StripeFake, deliver: Deliver, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    _pay(client, application)
    [session] = stripe_fake.owned_by(accounts["gera"], "checkout.session")
    session["amount_total"] = 100
    deliver(stripe_fake.pay_checkout(session["id"], accounts["gera"]))
    assert _application(application.pk).status == Status.AWAITING_PAYMENT


def test_withdrawal_refunds_the_stripe_payment_once(
    accounts: dict[str, str], stripe_fake: StripeFake, deliver: Deliver, django_capture_on_commit_callbacks: Any
) -> None:
    # A borrowed car is decided by a caseworker, so the application can still be withdrawn after paying.
    proof = SimpleUploadedFile("nachweis.pdf", PROOF, "application/pdf")
    borrowed_car = {**CAR, "halter": "false", "nutzungsnachweis": proof}
    client, application = parking_filed(borrowed_car, django_capture_on_commit_callbacks)
    _pay(client, application)
    [session] = stripe_fake.owned_by(accounts["gera"], "checkout.session")
    deliver(stripe_fake.pay_checkout(session["id"], accounts["gera"]))
    assert _application(application.pk).status == Status.IN_REVIEW  # a caseworker decides borrowed cars

    response = client.post(f"/antraege/status/{application.access_token}/", {"action": "withdraw"}, follow=True)
    assert response.status_code == 200
    [refund] = stripe_fake.owned_by(accounts["gera"], "refund")
    assert refund["payment_intent"] == stripe_fake.objects[session["id"]]["payment_intent"]
    assert refund["amount"] == 3070
    assert stripe_fake.owned_by(accounts["wurzen"], "refund") == []
    with schema_context("gera"):
        assert Payment.objects.get(application=application).status == Payment.State.REFUNDED
    assert _application(application.pk).status == Status.WITHDRAWN


def test_paying_twice_opens_one_checkout_session(
    accounts: dict[str, str], stripe_fake: StripeFake, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    first, second = _pay(client, application), _pay(client, application)  # double click, back button
    assert first["Location"] == second["Location"]
    assert len(stripe_fake.owned_by(accounts["gera"], "checkout.session")) == 1
    keys = {r["idempotency_key"] for r in stripe_fake.requests if r["path"] == "/v1/checkout/sessions"}
    assert len(keys) == 1 and keys.pop().startswith("payment-")
    with schema_context("gera"):
        assert Payment.objects.filter(application=application).count() == 1


def test_network_errors_are_retried_with_the_same_idempotency_key(
    accounts: dict[str, str], stripe_fake: StripeFake, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    stripe_fake.fail_next = 2
    response = _pay(client, application)
    assert response["Location"].startswith("https://checkout.stripe.com/")
    attempts = [r for r in stripe_fake.requests if r["path"] == "/v1/checkout/sessions"]
    assert len(attempts) == 3 and len({r["idempotency_key"] for r in attempts}) == 1
    assert len(stripe_fake.owned_by(accounts["gera"], "checkout.session")) == 1


def test_when_stripe_is_unreachable_the_citizen_reads_why_and_nothing_is_lost(
    accounts: dict[str, str], stripe_fake: StripeFake, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    stripe_fake.fail_next = 10
    page = client.post(f"/antraege/status/{application.access_token}/", {"action": "pay"}, follow=True)
    assert "nicht erreichbar" in page.content.decode()
    assert _application(application.pk).status == Status.AWAITING_PAYMENT
    with schema_context("gera"):
        assert not Payment.objects.filter(application=application).exists()
    stripe_fake.fail_next = 0
    assert _pay(client, application)["Location"].startswith("https://checkout.stripe.com/")  # trying again works


def test_without_a_ready_account_the_fee_is_paid_on_site(
    gera: Municipality, stripe_fake: StripeFake, django_capture_on_commit_callbacks: Any
) -> None:
    offer("gera", "bewohnerparkausweis", provider="stripe")  # provider chosen, but no account that can charge
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    response = _pay(client, application)
    assert response["Location"] == f"/antraege/status/{application.access_token}/"
    with schema_context("gera"):
        assert Payment.objects.get(application=application).provider == "onsite"
    assert _application(application.pk).status == Status.IN_REVIEW
    assert stripe_fake.requests == []


def test_no_stripe_key_or_secret_appears_in_logs(
    accounts: dict[str, str],
    stripe_fake: StripeFake,
    deliver: Deliver,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    stripe_fake.fail_next = 1
    _pay(client, application)
    [session] = stripe_fake.owned_by(accounts["gera"], "checkout.session")
    deliver(stripe_fake.pay_checkout(session["id"], accounts["gera"]))
    stripe_fake.fail_next = 10
    with pytest.raises(stripe_gateway.PaymentServiceError):  # a failure gets logged too
        stripe_gateway.account_retrieve(accounts["gera"])
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records) + "".join(capsys.readouterr())
    assert "Stripe" in logged or "stripe" in logged  # the flow did log …
    for secret in (API_KEY, PLATFORM_SECRET, CONNECT_SECRET):
        assert secret not in logged  # … without a key or signing secret


def test_the_platform_fee_is_taken_when_configured(
    accounts: dict[str, str], stripe_fake: StripeFake, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.STRIPE_PLATFORM_FEE_PERCENT = Decimal("2.5")
    client, application = parking_filed(CAR, django_capture_on_commit_callbacks)
    _pay(client, application)
    [session] = stripe_fake.owned_by(accounts["gera"], "checkout.session")
    assert session["payment_intent_data"]["application_fee_amount"] == "77"  # 2.5 % of 30.70 €, rounded half up
    assert session["payment_intent_data"]["metadata"]["reference"] == application.reference
