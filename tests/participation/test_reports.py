"""Defect reports: filing with photos (metadata stripped), routing to the office, statuses with notes and e-mails,
the duplicate hint, public list and filters, staff assignment."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from participation import services
from participation.models import Report, ReportCategory, ReportPhoto
from participation.states import ReportStatus
from tests.participation.conftest import GPS_IFD, category, citizen, jpeg_with_gps, logged_in, moderator, solved, staff

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"


def _form(cat: ReportCategory, **extra: Any) -> dict[str, Any]:
    return {"category": cat.pk, "description": "Straßenlaterne flackert seit Tagen", "address": "Sorge 12",
            "latitude": "50.880000", "longitude": "12.080000", **solved("gera"), **extra}  # fmt: skip


def test_photos_lose_their_gps_tags(gera: Any, django_capture_on_commit_callbacks: Any) -> None:
    original = jpeg_with_gps()
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()
    client = logged_in(HOST, citizen("gera", "Fotografin"))
    cat = category("gera")
    photos = [SimpleUploadedFile(f"IMG_{n}.jpg", original, content_type="image/jpeg") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/beteiligung/maengel/melden/", {**_form(cat), "photos": photos})
    assert response.status_code == 302, response.content.decode()
    with schema_context("gera"):
        stored = list(ReportPhoto.objects.all())
        contents = [photo.file.open("rb").read() for photo in stored]
    assert len(stored) == 2
    for content in contents:
        image = Image.open(io.BytesIO(content))
        assert not image.getexif() and GPS_IFD not in image.getexif()
        assert b"Sorge 1, Gera" not in content and b"Kamerahersteller" not in content
    served = client.get(f"{response['Location']}fotos/{stored[0].pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == contents[0]  # type: ignore[attr-defined]


def test_at_most_three_photos_and_only_images(gera: Any) -> None:
    client = logged_in(HOST, citizen("gera", "Vielfoto"))
    cat = category("gera")
    photos = [SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps(), content_type="image/jpeg") for n in range(4)]
    response = client.post("/en/beteiligung/maengel/melden/", {**_form(cat), "photos": photos})
    assert response.status_code == 400 and "at most 3 photos" in response.content.decode()
    pdf = SimpleUploadedFile("x.jpg", b"%PDF-1.4\n%%EOF\n", content_type="image/jpeg")
    response = client.post("/en/beteiligung/maengel/melden/", {**_form(cat), "photos": [pdf]})
    assert response.status_code == 400 and "here only JPEG, PNG can be uploaded" in response.content.decode()
    with schema_context("gera"):
        assert not Report.objects.exists()


def test_a_place_is_needed_address_or_coordinates(gera: Any) -> None:
    client = logged_in(HOST, citizen("gera", "Ortlos"))
    cat = category("gera")
    response = client.post("/en/beteiligung/maengel/melden/", _form(cat, address="", latitude="", longitude=""))
    assert response.status_code == 400 and "Please say where the defect is" in response.content.decode()
    response = client.post("/en/beteiligung/maengel/melden/", _form(cat, latitude="95", longitude="12"))
    assert response.status_code == 400
    # Without the map: the address alone is enough.
    assert client.post("/beteiligung/maengel/melden/", _form(cat, latitude="", longitude="")).status_code == 302


def test_new_reports_reach_the_category_office(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    client = logged_in(HOST, citizen("gera", "Melder"))
    cat = category("gera", slug="beleuchtung", office_email="licht@gera.example")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/beteiligung/maengel/melden/", _form(cat))
    assert [message.to for message in mail.outbox] == [["licht@gera.example"]]
    assert "Straßenlaterne flackert" in mail.outbox[0].body and "/cms/beteiligung/meldungen/" in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]  # type: ignore[attr-defined]
    assert "#00529c" in str(html)  # Gera's brand colour


def test_status_changes_carry_a_public_note_and_reach_reporter_and_followers(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    reporter, follower = citizen("gera", "Reporterin"), citizen("gera", "Nachbar")
    cat = category("gera")
    mod = moderator("gera", "bauhof")
    with schema_context("gera"):
        report = services.report_file(participant=reporter, category=cat, description="Gully verstopft",
                                      address="Markt 3")  # fmt: skip
        services.moderation_approve(item=report, actor=mod)
    logged_in(HOST, follower).post(f"/beteiligung/maengel/{report.pk}/folgen/", {"follow": "1"})
    staff_client = logged_in(HOST, mod)
    staff_client.post(f"/cms/beteiligung/meldungen/{report.pk}/aktion/", {"action": "assign", "assignee": mod.pk})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/cms/beteiligung/meldungen/{report.pk}/aktion/",
            {"action": "status", "status": "in_progress", "note": "Der Bauhof kommt am Dienstag."},
        )
    assert sorted(message.to[0] for message in mail.outbox) == ["nachbar@example.org", "reporterin@example.org"]
    assert all("Der Bauhof kommt am Dienstag." in message.body for message in mail.outbox)
    with schema_context("gera"):
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_PROGRESS and report.assignee == mod
    page = Client(HTTP_HOST=HOST).get(f"/beteiligung/maengel/{report.pk}/").content.decode()
    assert "Der Bauhof kommt am Dienstag." in page
    # A note is required, and the status machine decides what may follow.
    with schema_context("gera"):
        with pytest.raises(ValidationError):
            services.report_transition(report=report, to_status=ReportStatus.DONE, note=" ", actor=mod)
        with pytest.raises(services.NotAllowed):
            services.report_transition(report=report, to_status=ReportStatus.RECEIVED, note="zurück", actor=mod)


def test_likely_duplicates_are_shown_before_filing(gera: Any) -> None:
    cat = category("gera")
    with schema_context("gera"):
        earlier = services.report_file(
            participant=citizen("gera", "Erste"), category=cat, description="Schlagloch", address="Sorge 12",
            latitude=Decimal("50.880000"), longitude=Decimal("12.080000"),
        )  # fmt: skip
        services.moderation_approve(item=earlier, actor=None)
    client = logged_in(HOST, citizen("gera", "Zweite"))
    near = _form(cat, latitude="50.880200", longitude="12.080100")  # about 24 m away
    response = client.post("/en/beteiligung/maengel/melden/", near)
    page = response.content.decode()
    assert response.status_code == 200 and "Has this been reported already?" in page
    assert f"/beteiligung/maengel/{earlier.pk}/" in page
    hint = client.get("/beteiligung/maengel/in-der-naehe/", {"category": str(cat.pk), "latitude": "50.880200",
                                                              "longitude": "12.080100"}).json()  # fmt: skip
    assert [item["url"] for item in hint["reports"]] == [f"/beteiligung/maengel/{earlier.pk}/"]
    far = client.get("/beteiligung/maengel/in-der-naehe/", {"category": str(cat.pk), "latitude": "50.881000",
                                                             "longitude": "12.080000"}).json()  # fmt: skip
    assert far["reports"] == []  # about 110 m away
    nonsense = client.get(
        "/beteiligung/maengel/in-der-naehe/", {"category": "x", "latitude": "50.88", "longitude": "12"}
    )
    assert nonsense.status_code == 200 and nonsense.json() == {"reports": []}
    bad = client.get("/en/beteiligung/maengel/in-der-naehe/", {"category": str(cat.pk), "latitude": "north"})
    assert bad.status_code == 400 and "not valid" in bad.json()["detail"]
    with schema_context("gera"):
        assert Report.objects.count() == 1
    assert (
        client.post("/beteiligung/maengel/melden/", {**near, **solved("gera"), "confirm_new": "on"}).status_code == 302
    )
    with schema_context("gera"):
        assert Report.objects.count() == 2


def test_public_list_filters_by_category_and_status(gera: Any) -> None:
    road, light = category("gera"), category("gera", slug="beleuchtung")
    author = citizen("gera", "Liste")
    with schema_context("gera"):
        for cat, text, status in [(road, "Riss in der Fahrbahn", None), (light, "Lampe aus", ReportStatus.DONE)]:
            report = services.report_file(participant=author, category=cat, description=text, address="Markt")
            services.moderation_approve(item=report, actor=None)
            if status:
                services.report_transition(report=report, to_status=status, note="Erledigt.", actor=None)
    client = Client(HTTP_HOST=HOST)
    both = client.get("/beteiligung/maengel/").content.decode()
    assert "Riss in der Fahrbahn" not in both  # the list shows titles: category and address
    assert both.count('class="status status-') == 2
    only_light = client.get("/beteiligung/maengel/?kategorie=beleuchtung").content.decode()
    assert only_light.count('class="status status-') == 1 and "Beleuchtung: Markt" in only_light
    done = client.get("/beteiligung/maengel/?status=done").content.decode()
    assert done.count('class="status status-done"') == 1 and done.count('class="status status-') == 1


def test_staff_without_the_permission_see_no_reports(gera: Any) -> None:
    editor = staff("gera", "redaktion")  # /cms/ access, but no participation permission
    client = logged_in(HOST, editor)
    for url in ("/cms/beteiligung/meldungen/", "/cms/beteiligung/moderation/", "/cms/beteiligung/ideen/"):
        response = client.get(url)  # Wagtail answers a denied permission with a redirect to the dashboard
        assert response.status_code == 302 and response["Location"] == "/cms/", url
