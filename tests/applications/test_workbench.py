"""The caseworker's workbench: due dates, sorting, paging, bulk assignment, notes, previews, audit in words,
confirmations, the three-part detail layout; the citizen's self-updating status page; isolation from Wurzen."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image

from applications import services
from applications.deadlines import due_at
from applications.models import Application, Attachment, AuditEntry, InternalNote
from applications.states import Status
from services_catalog.local.models import LocalService
from tests.applications.conftest import caseworker, file_dog, offer
from tests.applications.test_caseworkers import PDF

pytestmark = pytest.mark.django_db
PASSWORD = "Kennwort-Sachbearbeitung-1"


@pytest.fixture
def gera_dogs(gera: Any) -> LocalService:
    return offer("gera", "hundesteuer-anmeldung")


def _staff(schema: str, username: str, service: LocalService | None, **extra: Any) -> Client:
    caseworker(schema, username, service, **extra)
    with schema_context(schema):
        from django.contrib.auth.models import User

        User.objects.filter(username=username).update(first_name=username.capitalize(), last_name="Muster")
    client = Client(HTTP_HOST=f"{schema}.localhost", HTTP_ACCEPT_LANGUAGE="de")
    assert client.post("/cms/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _attach(application: Application, name: str, content: bytes, content_type: str) -> Attachment:
    extension = "." + name.rsplit(".", 1)[-1]
    attachment = Attachment(
        application=application, field_id="nachweis", original_name=name, content_type=content_type,
        extension=extension, size=len(content), sha256="0" * 64,
    )  # fmt: skip
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment


def test_due_date_comes_from_the_processing_time() -> None:
    filed = timezone.now().replace(year=2026, month=1, day=31)
    assert due_at({"duration": 3, "unit": "days"}, filed) == filed + timedelta(days=3)
    assert due_at({"duration": 2, "unit": "weeks"}, filed) == filed + timedelta(days=14)
    assert due_at({"duration": 1, "unit": "months"}, filed).date().isoformat() == "2026-02-28"  # type: ignore[union-attr]
    assert due_at({"duration": 1, "unit": "years"}, filed).date().isoformat() == "2027-01-31"  # type: ignore[union-attr]
    assert due_at(None, filed) is None and due_at({"duration": 3, "unit": "days"}, None) is None


def test_inbox_flags_overdue_sorts_and_counts(gera_dogs: LocalService) -> None:
    with schema_context("gera"):
        late, fresh = file_dog("late@example.org"), file_dog("fresh@example.org")
        assert fresh.due_at and fresh.submitted_at and fresh.due_at == fresh.submitted_at + timedelta(days=1)
        Application.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    staff = _staff("gera", "anna", gera_dogs)
    late_reference, fresh_reference = str(late.reference), str(fresh.reference)

    page = staff.get("/cms/antraege/?sort=due").content.decode()
    assert page.index(late_reference) < page.index(fresh_reference)
    late_row = page[page.index(f'data-reference="{late.reference}"') :].split("</tr>")[0]
    fresh_row = page[page.index(f'data-reference="{fresh.reference}"') :].split("</tr>")[0]
    assert 'class="overdue"' in late_row and "überfällig" in late_row
    assert "überfällig" not in fresh_row
    assert "Anträge 1–2 von 2" in page

    reversed_page = staff.get("/cms/antraege/?sort=-due").content.decode()
    assert reversed_page.index(fresh_reference) < reversed_page.index(late_reference)
    only_overdue = staff.get("/cms/antraege/?overdue=on").content.decode()
    assert late_reference in only_overdue and fresh_reference not in only_overdue
    assert staff.get("/cms/antraege/?sort=nonsense&page=x").status_code == 200


def test_inbox_pages_with_totals(gera_dogs: LocalService, monkeypatch: pytest.MonkeyPatch) -> None:
    from applications import staff_views

    monkeypatch.setattr(staff_views, "PAGE_SIZE", 2)
    with schema_context("gera"):
        for number in range(5):
            file_dog(f"seite{number}@example.org")
    staff = _staff("gera", "paula", gera_dogs)
    first = staff.get("/cms/antraege/?sort=submitted").content.decode()
    assert "Anträge 1–2 von 5" in first and "Seite 1 von 3" in first
    last = staff.get("/cms/antraege/?sort=submitted&page=3").content.decode()
    assert "Anträge 5–5 von 5" in last and "sort=submitted&amp;page=2" in last


def test_bulk_assignment_says_what_happened_and_refuses_colleagues_without_access(gera_dogs: LocalService) -> None:
    with schema_context("gera"):
        first, second = file_dog("a@example.org"), file_dog("b@example.org")
    staff = _staff("gera", "bert", gera_dogs, see_all=True)
    caseworker("gera", "clara", gera_dogs)
    parking = offer("gera", "bewohnerparkausweis")
    caseworker("gera", "otto", parking)
    with schema_context("gera"):
        from django.contrib.auth.models import User

        clara, otto = User.objects.get(username="clara"), User.objects.get(username="otto")
        User.objects.filter(pk=clara.pk).update(first_name="Clara", last_name="Klein")

    chosen = [str(first.public_id), str(second.public_id)]
    response = staff.post("/cms/antraege/zuweisen/", {"applications": chosen, "assignee": otto.pk}, follow=True)
    assert "darf nicht alle ausgewählten Anträge bearbeiten" in response.content.decode()
    with schema_context("gera"):
        assert not Application.objects.filter(pk__in=[first.pk, second.pk], assignee__isnull=False).exists()

    response = staff.post("/cms/antraege/zuweisen/", {"applications": chosen, "assignee": clara.pk}, follow=True)
    assert "2 Anträge an Clara Klein zugewiesen." in response.content.decode()
    with schema_context("gera"):
        assert set(Application.objects.filter(assignee=clara).values_list("pk", flat=True)) == {first.pk, second.pk}
        assert AuditEntry.objects.filter(application=first, action="assign", detail="clara").exists()

    response = staff.post("/cms/antraege/zuweisen/", {"applications": chosen, "assignee": ""}, follow=True)
    assert "Bitte wählen Sie, wer die Anträge bearbeiten soll." in response.content.decode()


def test_detail_shows_data_documents_and_decision_panel_together_with_words(gera_dogs: LocalService) -> None:
    with schema_context("gera"):
        application = file_dog()
        pdf_one = _attach(application, "nachweis.pdf", PDF, "application/pdf")
        pdf_two = _attach(application, "nachweis.pdf", PDF, "application/pdf")
        _attach(application, "foto.png", _png(), "image/png")
    staff = _staff("gera", "dora", gera_dogs)
    detail = f"/cms/antraege/{application.public_id}/"

    page = staff.get(detail).content.decode()
    workbench = page[page.index('class="workbench"') :]
    assert workbench.index('id="answers-heading"') < workbench.index('id="files-heading"')
    assert workbench.index('id="files-heading"') < workbench.index('class="workbench-panel"')
    assert workbench.index('class="workbench-panel"') < workbench.index('id="decision-heading"')
    assert "nachweis.pdf" in page and "nachweis (2).pdf" in page
    assert f"dateien/{pdf_one.pk}/ansicht/" in page and f"dateien/{pdf_two.pk}/ansicht/" in page
    assert 'class="attachment-preview-image"' in page

    response = staff.post(detail + "aktion/", {"action": "assign_me"}, follow=True)
    assert f"Antrag {application.reference} an Dora Muster zugewiesen." in response.content.decode()
    page = response.content.decode()
    audit = page[page.index('class="audit"') :]
    assert "Antrag angesehen" in audit and "Sich selbst zugewiesen" in audit
    assert ": view" not in audit

    download = staff.get(f"{detail}dateien/{pdf_two.pk}/")
    assert 'filename="nachweis (2).pdf"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")


def test_preview_is_inline_only_for_pdf_and_images_under_a_strict_policy(gera_dogs: LocalService) -> None:
    with schema_context("gera"):
        application = file_dog()
        pdf = _attach(application, "scan.pdf", PDF, "application/pdf")
        png = _attach(application, "foto.png", _png(), "image/png")
        other = _attach(application, "liste.csv", b"a;b\n", "text/csv")
    staff = _staff("gera", "emil", gera_dogs)
    base = f"/cms/antraege/{application.public_id}/dateien/"

    shown = staff.get(f"{base}{pdf.pk}/ansicht/")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in shown["Content-Security-Policy"]
    assert shown["X-Content-Type-Options"] == "nosniff" and shown["X-Frame-Options"] == "SAMEORIGIN"
    image = staff.get(f"{base}{png.pk}/ansicht/")
    assert image["Content-Type"] == "image/png" and image["Content-Disposition"].startswith("inline")
    assert image["Content-Security-Policy"].endswith("; sandbox")
    assert staff.get(f"{base}{other.pk}/ansicht/").status_code == 404
    with schema_context("gera"):
        assert AuditEntry.objects.filter(application=application, action="preview", detail="scan.pdf").exists()


def test_internal_notes_stay_internal(gera_dogs: LocalService) -> None:
    with schema_context("gera"):
        application = file_dog()
    staff = _staff("gera", "fritz", gera_dogs)
    detail = f"/cms/antraege/{application.public_id}/"
    response = staff.post(detail + "notizen/", {"text": "Halter telefonisch erreicht."}, follow=True)
    page = response.content.decode()
    assert f"Interne Notiz zu {application.reference} hinzugefügt." in page
    assert "Halter telefonisch erreicht." in page
    empty = staff.post(detail + "notizen/", {"text": "   "}, follow=True)
    assert empty.status_code == 200 and "Bitte schreiben Sie eine Notiz" in empty.content.decode()
    with schema_context("gera"):
        assert InternalNote.objects.filter(application=application).count() == 1
    citizen = Client(HTTP_HOST="gera.localhost").get(f"/antraege/status/{application.access_token}/")
    assert "Halter telefonisch erreicht." not in citizen.content.decode()


def test_status_page_updates_itself(gera_dogs: LocalService) -> None:
    with schema_context("gera"):
        application = file_dog()
    citizen = Client(HTTP_HOST="gera.localhost")
    page = citizen.get(f"/antraege/status/{application.access_token}/").content.decode()
    assert 'aria-live="polite"' in page and "applications/status.js" in page
    assert f'data-poll="/antraege/status/{application.access_token}/stand.json"' in page
    state = citizen.get(f"/antraege/status/{application.access_token}/stand.json").json()
    assert state["status"] == Status.IN_REVIEW and not state["closed"]
    with schema_context("gera"):
        services.decide_application(application, approve=True, reasons="Alles vorhanden.", automatic=True)
    state = citizen.get(f"/antraege/status/{application.access_token}/stand.json").json()
    assert state["status"] == Status.APPROVED and state["closed"] and state["label"] == "genehmigt"
    english = citizen.get(f"/en/antraege/status/{application.access_token}/").content.decode()
    assert '<span lang="de">Alles vorhanden.</span>' in english  # a reason written in German is marked so
    assert "data-poll" not in english  # closed: nothing more to wait for
    assert citizen.get("/antraege/status/unbekannt/stand.json").status_code == 404


def test_wurzen_reaches_no_note_preview_or_status_of_gera(gera_dogs: LocalService, wurzen: Any) -> None:
    with schema_context("gera"):
        application = file_dog()
        pdf = _attach(application, "scan.pdf", PDF, "application/pdf")
        InternalNote.objects.create(application=application, text="Nur für Gera.")
    offer("wurzen", "hundesteuer-anmeldung")
    staff = _staff("wurzen", "wanda", None, see_all=True)
    base = f"/cms/antraege/{application.public_id}/"
    assert staff.get(f"{base}dateien/{pdf.pk}/ansicht/").status_code == 404
    assert staff.post(f"{base}notizen/", {"text": "fremd"}).status_code == 404
    assert staff.post("/cms/antraege/zuweisen/", {"applications": [str(application.public_id)], "assignee": 1})
    assert "Nur für Gera." not in staff.get("/cms/antraege/").content.decode()
    outsider = Client(HTTP_HOST="wurzen.localhost")
    assert outsider.get(f"/antraege/status/{application.access_token}/stand.json").status_code == 404
    with schema_context("gera"):
        assert InternalNote.objects.filter(application=application).count() == 1
        assert application.assignee_id is None
