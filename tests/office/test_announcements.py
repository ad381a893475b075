"""Announcements reach only the chosen municipalities: their /cms/ dashboard and their administrators' e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from amtsplatz.office.models import Announcement, AnnouncementDelivery, OfficeAction
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def _cms_dashboard(client: Client, username: str, password: str) -> str:
    assert client.post("/cms/login/", {"username": username, "password": password}).status_code == 302
    response = client.get("/cms/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_announcement_to_gera_only(
    admin_client: Client,
    gera: Municipality,
    wurzen: Municipality,
    gera_client: Client,
    wurzen_client: Client,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/office/announcements/",
            {
                "title": "Hundesteuer in Version 3",
                "text": "Die Leistung hat ein neues Formular.",
                "link": "https://amtsplatz.example/neu",
                "audience": "selected",
                "municipalities": [gera.pk],
            },
        )
    assert response.status_code == 302

    assert [message.to for message in mail.outbox] == [["it@gera.example"]]
    assert mail.outbox[0].subject == "Hundesteuer in Version 3"
    assert "https://amtsplatz.example/neu" in mail.outbox[0].body

    gera_page = _cms_dashboard(gera_client, "it@gera.example", "Gera-Admin-Passwort-1")
    assert 'id="office-announcements' in gera_page and "Hundesteuer in Version 3" in gera_page
    wurzen_page = _cms_dashboard(wurzen_client, "it@wurzen.example", "Wurzen-Admin-Passwort-1")
    assert "Hundesteuer in Version 3" not in wurzen_page

    entry = OfficeAction.objects.get(kind="announce")
    assert (entry.actor_name, entry.detail["to"]) == ("office@office.example", ["gera"])

    # A redelivered task sends nothing twice.
    from amtsplatz.office.tasks import announcement_mail
    from tenants.db import use_municipality

    use_municipality(gera)
    assert announcement_mail(Announcement.objects.get().pk) == 0
    assert len(mail.outbox) == 1 and AnnouncementDelivery.objects.get().recipients == 1


def test_announcement_to_all_reaches_every_municipality(
    admin_client: Client,
    gera: Municipality,
    wurzen: Municipality,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/office/announcements/", {"title": "Wartung", "text": "Sonntag 2 Uhr", "audience": "all"})
    assert {address for message in mail.outbox for address in message.to} >= {"it@gera.example", "it@wurzen.example"}


def test_selected_without_municipalities_is_refused(admin_client: Client, office_user_in: Any) -> None:
    response = admin_client.post(
        "/office/announcements/", {"title": "X", "text": "Y", "audience": "selected"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "Select at least one municipality" in response.content.decode()
    assert not Announcement.objects.exists() and not OfficeAction.objects.exists()
    billing = Client(HTTP_HOST="localhost")
    billing.force_login(office_user_in("Billing"))
    assert billing.get("/office/announcements/").status_code == 403


def test_announcement_to_a_district_reaches_its_municipalities_only(
    admin_client: Client,
    gera: Municipality,
    wurzen: Municipality,
    gera_client: Client,
    wurzen_client: Client,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Wurzen (AGS 14729410) lies in the district 14729, Gera (16052000) does not: dashboard and e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/office/announcements/",
            {"action": "post", "title": "Kreisumlage", "text": "…", "audience": "district", "district": "14729"},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["it@wurzen.example"]]
    wurzen_page = _cms_dashboard(wurzen_client, "it@wurzen.example", "Wurzen-Admin-Passwort-1")
    assert "Kreisumlage" in wurzen_page
    gera_page = _cms_dashboard(gera_client, "it@gera.example", "Gera-Admin-Passwort-1")
    assert "Kreisumlage" not in gera_page
    assert OfficeAction.objects.get(kind="announce").detail["to"] == ["14729*"]
