"""The resident parking permit in Gera, end to end through the web, as a citizen files it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context
from pypdf import PdfReader

from applications.models import Application, StatusChange
from applications.states import Status
from services_catalog.local.models import LocalService
from tests.applications.conftest import PERSON, parking_filed, parking_fill, parking_submit, verified_client

pytestmark = pytest.mark.django_db


def _pay(client: Client, application: Application, django_capture_on_commit_callbacks: Any) -> str:
    """Pay with the test provider; returns the (signed) confirmation URL the provider called."""
    status_url = f"/antraege/status/{application.access_token}/"
    response = client.post(status_url, {"action": "pay"})
    assert response.status_code == 302
    payment_page = response["Location"]
    assert "TEST" in client.get(payment_page).content.decode()
    confirmation = client.post(payment_page, {"action": "pay"})["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(confirmation).status_code == 302
    return str(confirmation)


def test_parking_permit_is_filed_paid_approved_and_documented(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    review_url = parking_fill(
        client, step_url, vehicle={"kennzeichen": "G-AB 123", "gesamtmasse": "1500", "halter": "true"}
    )
    review = client.get(review_url).content.decode()
    assert "30,70\u00a0€" in review and "G-AB 123" in review

    application = parking_submit(client, review_url, django_capture_on_commit_callbacks)
    assert application.status == Status.AWAITING_PAYMENT
    assert application.submitted_at is not None
    assert re.fullmatch(rf"GER-{application.submitted_at.year}-\d{{6}}", application.reference or "")
    _pay(client, application, django_capture_on_commit_callbacks)

    with schema_context("gera"):
        application.refresh_from_db()
        history = list(application.history.values_list("from_status", "to_status"))
        pdf_name = str(application.decision_document.name)
    assert application.status == Status.APPROVED
    assert history[-1] == (Status.IN_REVIEW, Status.APPROVED)
    assert pdf_name.startswith("applications/")
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / "gera" / pdf_name).is_file()  # private, under the schema
    assert not (Path(settings.MEDIA_ROOT) / "gera" / pdf_name).exists()  # never in the served media folder
    reference = str(application.reference)
    with translation.override(application.language):
        approved = str(Status.APPROVED.label)
    assert any(reference in str(m.subject) and approved in str(m.subject) for m in mail.outbox)

    document_url = f"/antraege/status/{application.access_token}/bescheid.pdf"
    response = client.get(document_url)
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(_as_file(response)).pages)
    assert reference in text and "G-AB 123" in text

    stranger = Client(HTTP_HOST="gera.localhost")
    assert stranger.get(f"/antraege/status/{'x' * 43}/bescheid.pdf").status_code == 404
    assert Client(HTTP_HOST="wurzen.localhost").get(document_url).status_code == 404


def _as_file(response: Any) -> Any:
    import io

    return io.BytesIO(b"".join(response.streaming_content))


def test_heavy_vehicle_is_rejected_with_reasons(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(
        {"kennzeichen": "G-LK 7", "gesamtmasse": "7490", "halter": "true"}, django_capture_on_commit_callbacks
    )
    _pay(client, application, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
        last = application.history.last()
    assert application.status == Status.REJECTED
    assert last is not None and "3,5 t" in last.comment
    page = client.get(f"/antraege/status/{application.access_token}/").content.decode()
    assert "3,5 t" in page


def test_a_replayed_payment_confirmation_changes_nothing(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    client, application = parking_filed(
        {"kennzeichen": "G-AB 123", "gesamtmasse": "1500", "halter": "true"}, django_capture_on_commit_callbacks
    )
    confirmation = _pay(client, application, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        before = StatusChange.objects.filter(application=application).count()
        sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(confirmation).status_code == 302
    with schema_context("gera"):
        assert StatusChange.objects.filter(application=application).count() == before
        assert application.payments.get().status == "paid"
    assert len(mail.outbox) == sent
    forged = confirmation.split("?")[0] + "?signature=" + "0" * 64
    assert client.get(forged).status_code == 400


def test_double_submission_creates_one_application(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    review_url = parking_fill(
        client, step_url, vehicle={"kennzeichen": "G-AB 123", "gesamtmasse": "1500", "halter": "true"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(review_url, {"idempotency_key": "same"})
        second = client.post(review_url, {"idempotency_key": "same"})
    assert first.status_code == 302
    assert second.status_code == 404  # the draft is gone: it was submitted
    with schema_context("gera"):
        assert Application.objects.exclude(status=Status.DRAFT).count() == 1


def test_errors_are_shown_next_to_the_field_and_nothing_typed_is_lost(gera_parking: LocalService) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    response = client.post(step_url, {**PERSON, "plz": "7545", "action": "next"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_plz_error"' in page and "Fünf Ziffern" in page
    assert 'aria-describedby="id_plz_helptext id_plz_error"' in page  # the field points at help and error
    assert 'value="Mustermann"' in page and 'value="Sorge 1"' in page
    english = client.post("/en" + step_url, {**PERSON, "plz": "7545", "action": "next"}).content.decode()
    assert "Five digits" in english


def test_draft_is_resumed_through_the_magic_link(gera_parking: LocalService) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    client.post(step_url, {**PERSON, "hauptwohnsitz": "true", "action": "save"})
    from tests.applications.conftest import last_link

    resume = last_link("/antraege/e-mail/")
    other_device = Client(HTTP_HOST="gera.localhost")
    assert other_device.get(step_url).status_code == 404
    response = other_device.get(resume, follow=True)
    assert response.status_code == 200
    assert 'value="Mustermann"' in response.content.decode()
    assert Client(HTTP_HOST="wurzen.localhost").get(resume).status_code in (400, 404)


def test_service_page_links_to_the_online_application(gera_parking: LocalService, gera_client: Client) -> None:
    page = gera_client.get("/leistungen/bewohnerparkausweis/").content.decode()
    assert 'href="/antraege/bewohnerparkausweis/"' in page
    assert gera_client.get("/antraege/hundesteuer-anmeldung/").status_code == 404  # not adopted by Gera here


def test_starting_again_resumes_the_open_draft(gera_parking: LocalService) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    client.post(step_url, {**PERSON, "hauptwohnsitz": "true", "action": "next"})
    again = client.get("/antraege/bewohnerparkausweis/")
    assert again.status_code == 302 and again["Location"] == step_url.replace("/schritt/0/", "/schritt/1/")
    with schema_context("gera"):
        assert Application.objects.filter(applicant_email="erika@example.org").count() == 1
