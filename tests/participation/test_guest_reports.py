"""Guests report defects with a confirmed e-mail address (a per-municipality setting, on by default): held until
the link is clicked, then waiting for moderation; "use my location"; the moderators' /cms/ dashboard; isolation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from participation import services
from participation.models import ParticipationSettings, Report, ReportCategory
from participation.selectors import moderation_queue, public_reports
from participation.states import Moderation
from tests.participation.conftest import category, logged_in, moderator, solved

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"


def _form(cat: ReportCategory, **extra: Any) -> dict[str, Any]:
    return {"email": "gast@example.org", "category": cat.pk, "description": "Gullydeckel fehlt an der Ecke",
            "address": "Sorge 20", "latitude": "", "longitude": "", **solved("gera"), **extra}  # fmt: skip


def _confirmation_path() -> str:
    for message in reversed(mail.outbox):
        if found := re.search(r"https?://[^/\s]+(/\S*maengel/bestaetigen/\S+/)", str(message.body)):
            return found.group(1)
    raise AssertionError("no confirmation e-mail")


def test_a_guest_report_waits_for_the_link_then_for_moderation(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    cat = category("gera", slug="kanal", office_email="kanal@gera.example")
    guest = Client(HTTP_HOST=HOST)
    form = guest.get("/beteiligung/maengel/melden/")
    page = form.content.decode()
    assert form.status_code == 200 and 'name="email"' in page and "Sie melden als Gast" in page
    assert "Meinen Standort verwenden" in page and "data-locate" in page
    assert "geolocation=(self)" in form["Permissions-Policy"] and "camera=()" in form["Permissions-Policy"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = guest.post("/beteiligung/maengel/melden/", _form(cat))
    assert response.status_code == 200 and "gast@example.org" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["gast@example.org"]]  # the office hears nothing yet
    assert mail.outbox[0].subject == "Bitte bestätigen Sie Ihre Mängelmeldung (Kanal)"
    assert mail.outbox[0].from_email.endswith("<noreply@amtsplatz.example>")
    assert not mail.outbox[0].from_email.startswith("Amtsplatz")
    with schema_context("gera"):
        report = Report.objects.get(guest_email="gast@example.org")
        assert report.moderation == Moderation.UNCONFIRMED and report.author is None
        assert report not in public_reports() and not moderation_queue()
    assert Client(HTTP_HOST=HOST).get(f"/beteiligung/maengel/{report.pk}/").status_code == 404

    path = _confirmation_path()
    shown = guest.get(path)  # a mail scanner following the link confirms nothing
    assert shown.status_code == 200 and "Meine Meldung bestätigen" in shown.content.decode()
    with schema_context("gera"):
        report.refresh_from_db()
    assert report.moderation == Moderation.UNCONFIRMED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = guest.post(path)
    assert confirmed.status_code == 200 and "Ihre Meldung ist bestätigt" in confirmed.content.decode()
    assert [message.to for message in mail.outbox] == [["kanal@gera.example"]]
    with schema_context("gera"):
        report.refresh_from_db()
        assert report.moderation == Moderation.PENDING
        assert [entry.item for entry in moderation_queue()] == [report]
        assert report.author_label == "Gast"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert guest.post(path).status_code == 200  # a second click changes nothing
    assert mail.outbox == []


def test_guests_need_an_address_and_a_valid_link(gera: Any) -> None:
    cat = category("gera")
    guest = Client(HTTP_HOST=HOST)
    response = guest.post("/beteiligung/maengel/melden/", _form(cat, email=""))
    assert response.status_code == 400
    with schema_context("gera"):
        assert not Report.objects.exists()
    refused = guest.post("/beteiligung/maengel/bestaetigen/ausgedacht/")
    assert refused.status_code == 400 and "nicht gültig" in refused.content.decode()
    with schema_context("gera"):
        report = services.guest_report_file(email="alt@example.org", category=cat, description="Alt", address="Markt")
        Report.objects.filter(pk=report.pk).update(created=timezone.now() - timedelta(days=8))
        with pytest.raises(ValidationError, match=r"abgelaufen|expired"):
            services.guest_report_confirm(token=report.guest_token or "")
        assert services.guest_reports_purge_unconfirmed() == 1
        assert not Report.objects.filter(pk=report.pk).exists()


def test_municipalities_can_switch_guest_reports_off(gera: Any) -> None:
    cat = category("gera")
    with schema_context("gera"):
        settings = ParticipationSettings.load()
        settings.guest_reports = False
        settings.save()
    response = Client(HTTP_HOST=HOST).get("/beteiligung/maengel/melden/")
    assert response.status_code == 302 and "anmelden" in response["Location"]
    with schema_context("gera"), pytest.raises(ValidationError):
        services.guest_report_file(email="gast@example.org", category=cat, description="x", address="Markt")


def test_a_gera_guest_link_confirms_nothing_on_wurzen(gera: Any, wurzen: Any) -> None:
    cat = category("gera")
    with schema_context("gera"):
        report = services.guest_report_file(email="gast@example.org", category=cat, description="x", address="Markt")
    outsider = Client(HTTP_HOST="wurzen.localhost")
    assert outsider.post(f"/beteiligung/maengel/bestaetigen/{report.guest_token}/").status_code == 400
    with schema_context("gera"):
        report.refresh_from_db()
    assert report.moderation == Moderation.UNCONFIRMED


def test_moderators_see_waiting_items_on_their_dashboard(gera: Any, wurzen: Any) -> None:
    cat = category("gera")
    with schema_context("gera"):
        for number in range(2):
            report = services.guest_report_file(
                email=f"g{number}@example.org", category=cat, description="x", address="Markt"
            )
            services.guest_report_confirm(token=report.guest_token or "")
    page = logged_in(HOST, moderator("gera")).get("/cms/").content.decode()
    panel = page[page.index('id="participation-waiting-section"') :]
    assert re.search(r"Wartet auf Moderation: <strong>2</strong>", panel)
    assert "/cms/beteiligung/moderation/" in panel
    assert "gravatar.com" not in page  # the sidebar avatar is Wagtail's own, allowed by the CSP
    other = logged_in("wurzen.localhost", moderator("wurzen")).get("/cms/").content.decode()
    assert re.search(r"Wartet auf Moderation: <strong>0</strong>", other)


def test_guest_reports_are_limited_per_client_address(gera: Any, tasks_inline: None) -> None:
    """An anonymous write: over the municipality's per-address limit a guest gets 429, nothing more is stored."""
    cat = category("gera", slug="licht")
    with schema_context("gera"):
        ParticipationSettings.objects.update_or_create(defaults={"contributions_per_ip": 2})
    guest = Client(HTTP_HOST=HOST, REMOTE_ADDR="203.0.113.71")
    statuses = [guest.post("/beteiligung/maengel/melden/", _form(cat, address=f"Sorge {n}")).status_code
                for n in range(3)]  # fmt: skip
    assert statuses == [200, 200, 429]
    with schema_context("gera"):
        assert Report.objects.filter(guest_email="gast@example.org").count() == 2
    other = Client(HTTP_HOST=HOST, REMOTE_ADDR="198.51.100.72")
    assert other.post("/beteiligung/maengel/melden/", _form(cat, address="Sorge 9")).status_code == 200
