"""Caseworkers: needs-information round trip, group scoping, audit, and isolation between municipalities."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from applications.models import Application, AuditEntry
from applications.states import Status
from services_catalog.local.models import LocalService
from tests.applications.conftest import PERSON, caseworker, offer, verified_client

pytestmark = pytest.mark.django_db
PASSWORD = "Kennwort-Sachbearbeitung-1"
PDF = (  # one page: the upload check parses every PDF (amtsplatz/infra/pdf_check.py)
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n"
    b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
)


def _file_non_holder(django_capture_on_commit_callbacks: Any) -> tuple[Client, Application]:
    """A parking permit for a company car: the rule hands it to a caseworker."""
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    response = client.post(step_url, {**PERSON, "hauptwohnsitz": "true", "action": "next"})
    upload = SimpleUploadedFile("firmenwagen.pdf", PDF, content_type="application/pdf")
    response = client.post(
        response["Location"],
        {
            "kennzeichen": "G-XY 42",
            "gesamtmasse": "1800",
            "halter": "false",
            "nutzungsnachweis": upload,
            "action": "next",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"idempotency_key": "k1"})
    with schema_context("gera"):
        application = Application.objects.get(applicant_email="erika@example.org", status=Status.AWAITING_PAYMENT)
    status_url = f"/antraege/status/{application.access_token}/"
    pay = client.post(status_url, {"action": "pay"})["Location"]
    confirm = client.post(pay, {"action": "pay"})["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirm)
    with schema_context("gera"):
        application.refresh_from_db()
    return client, application


def _staff(schema: str, username: str) -> Client:
    """Logged in through the municipality's own /cms/ login (sessions and users are per schema)."""
    client = Client(HTTP_HOST=f"{schema}.localhost")
    response = client.post("/cms/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in on {schema}"
    return client


def test_needs_information_round_trip(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    citizen, application = _file_non_holder(django_capture_on_commit_callbacks)
    assert application.status == Status.IN_REVIEW and application.auto_decision_done
    caseworker("gera", "anna", gera_parking)
    staff = _staff("gera", "anna")
    detail = f"/cms/antraege/{application.public_id}/"
    page = staff.get(detail)
    assert page.status_code == 200 and "G-XY 42" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            detail + "aktion/",
            {"action": "request_information", "text": "Bitte Arbeitgeberbestätigung mit Unterschrift."},
        )
    with schema_context("gera"):
        application.refresh_from_db()
    assert application.status == Status.NEEDS_INFORMATION
    assert "Arbeitgeberbestätigung" in mail.outbox[-1].body

    status_url = f"/antraege/status/{application.access_token}/"
    assert "Arbeitgeberbestätigung" in citizen.get(status_url).content.decode()
    signed = SimpleUploadedFile("bestaetigung.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        citizen.post(status_url, {"action": "answer", "text": "Anbei die Bestätigung.", "files": signed})
    with schema_context("gera"):
        application.refresh_from_db()
        assert application.attachments.filter(field_id="_answer").count() == 1
    assert application.status == Status.IN_REVIEW

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(detail + "aktion/", {"action": "decide", "outcome": "approve", "reasons": "Nachweis liegt vor."})
    with schema_context("gera"):
        application.refresh_from_db()
        actions = set(AuditEntry.objects.filter(application=application).values_list("action", flat=True))
    assert application.status == Status.APPROVED and application.decision_document
    assert {"view", "request_information", "decide"} <= actions


def test_illegal_transition_is_refused_with_a_message(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    _citizen, application = _file_non_holder(django_capture_on_commit_callbacks)
    caseworker("gera", "bernd", gera_parking)
    staff = _staff("gera", "bernd")
    staff.post(
        f"/cms/antraege/{application.public_id}/aktion/", {"action": "decide", "outcome": "reject", "reasons": "x"}
    )
    response = staff.post(
        f"/cms/antraege/{application.public_id}/aktion/",
        {"action": "request_information", "text": "Noch etwas?"},
        follow=True,
    )
    assert "cannot become" in response.content.decode() or "kann nicht" in response.content.decode()
    with schema_context("gera"):
        application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_caseworkers_see_only_their_services(
    gera_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    _citizen, application = _file_non_holder(django_capture_on_commit_callbacks)
    dogs = offer("gera", "hundesteuer-anmeldung")
    caseworker("gera", "carla", dogs)
    caseworker("gera", "admin-dora", None, see_all=True)
    dog_desk = _staff("gera", "carla")
    row = f'data-reference="{application.reference}"'
    assert row not in dog_desk.get("/cms/antraege/").content.decode()
    assert dog_desk.get(f"/cms/antraege/{application.public_id}/").status_code == 404
    assert row in _staff("gera", "admin-dora").get("/cms/antraege/").content.decode()


def test_wurzen_caseworker_reaches_nothing_of_gera(
    gera_parking: LocalService, wurzen: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    _citizen, application = _file_non_holder(django_capture_on_commit_callbacks)
    with schema_context("gera"):
        attachment = application.attachments.get()
    wurzen_service = offer("wurzen", "bewohnerparkausweis")
    caseworker("wurzen", "emil", wurzen_service, see_all=True)
    staff = _staff("wurzen", "emil")
    base = f"/cms/antraege/{application.public_id}/"
    row = f'data-reference="{application.reference}"'
    assert row not in staff.get("/cms/antraege/").content.decode()
    assert row not in staff.get(f"/cms/antraege/?query={application.reference}").content.decode()
    assert staff.get(base).status_code == 404
    assert staff.get(f"{base}dateien/{attachment.pk}/").status_code == 404
    assert staff.post(f"{base}aktion/", {"action": "assign_me"}).status_code == 404
    wurzen_citizen = Client(HTTP_HOST="wurzen.localhost")
    assert wurzen_citizen.get(f"/antraege/status/{application.access_token}/").status_code == 404
    # Gera's staff session is no key to Wurzen's host either.
    caseworker("gera", "frieda", gera_parking)
    gera_staff = _staff("gera", "frieda")
    gera_staff.defaults["HTTP_HOST"] = "wurzen.localhost"
    assert gera_staff.get("/cms/antraege/").status_code == 302  # to Wurzen's login


def test_disguised_executable_is_refused_and_the_answers_are_kept(gera_parking: LocalService) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    vehicle_url = client.post(step_url, {**PERSON, "hauptwohnsitz": "true", "action": "next"})["Location"]
    program = SimpleUploadedFile("nachweis.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf")
    response = client.post(
        vehicle_url,
        {
            "kennzeichen": "G-XY 42",
            "gesamtmasse": "1800",
            "halter": "false",
            "nutzungsnachweis": program,
            "action": "next",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_nutzungsnachweis_error"' in page
    assert 'value="G-XY 42"' in page
    with schema_context("gera"):
        draft = Application.objects.get(applicant_email="erika@example.org")
        assert draft.attachments.count() == 0
        assert draft.step == 1


def test_admin_configures_a_service_desk_with_a_secret_that_is_never_shown(gera_parking: LocalService) -> None:
    admin = Client(HTTP_HOST="gera.localhost")
    admin.post("/cms/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"})
    response = admin.post(
        "/cms/service_desks/new/",
        {"service": gera_parking.pk, "handover_url": "https://backoffice.gera.example/in", "handover_secret": "kurz",
         "handover_on": "submission"},
    )  # fmt: skip
    assert response.status_code == 200 and "16" in response.content.decode()
    response = admin.post(
        "/cms/service_desks/new/",
        {"service": gera_parking.pk, "handover_url": "https://backoffice.gera.example/in",
         "handover_secret": "ein-langes-gemeinsames-geheimnis", "handover_on": "submission"},
    )  # fmt: skip
    assert response.status_code == 302
    with schema_context("gera"):
        desk = gera_parking.__class__.objects.get(pk=gera_parking.pk).desk
    edit = admin.get(f"/cms/service_desks/edit/{desk.pk}/").content.decode()
    assert "ein-langes-gemeinsames-geheimnis" not in edit
