"""Suspension keeps every row and blocks citizens, not staff; staff read only; each action audit-logged."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Page

from amtsplatz.office.models import OfficeAction
from cms.models import HomePage
from tenants.models import Municipality, SuspensionReason

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int]:
    with schema_context("gera"):
        return Page.objects.count(), get_user_model().objects.count()


def test_suspension_keeps_data_blocks_citizens_not_staff(
    admin_client: Client, gera_client: Client, wurzen_client: Client, gera: Municipality
) -> None:
    before = _counts()
    assert gera_client.get("/").status_code == 200

    response = admin_client.post("/office/municipalities/gera/suspend/", {"note": "Vertrag ruht"})
    assert response.status_code == 302
    gera.refresh_from_db()
    assert (gera.status, gera.suspended_for) == (Municipality.Status.SUSPENDED, SuspensionReason.OFFICE)
    entry = OfficeAction.objects.get(kind=OfficeAction.Kind.SUSPEND)
    assert (entry.municipality_slug, entry.actor_name, entry.succeeded, entry.detail["note"]) == (
        "gera",
        "office@office.example",
        True,
        "Vertrag ruht",
    )

    for path in ("/", "/en/", "/leistungen/", "/antraege/"):
        page = gera_client.get(path)
        assert page.status_code == 503, path
        assert page["Retry-After"] == "3600"
    page = gera_client.get("/")
    html = page.content.decode()
    assert "Stadt Gera" in html and "#00529c" in html  # the city's name and brand colour
    assert "vorübergehend nicht erreichbar" in html and "temporarily unavailable" in html
    api = gera_client.get("/api/v1/services")
    assert api.status_code == 503 and "suspended" in api.json()["detail"]
    assert gera_client.get("/healthz").status_code == 200
    assert wurzen_client.get("/").status_code == 200  # other municipalities are untouched

    # Staff: log in, read, but change nothing.
    assert (
        gera_client.post(
            "/cms/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"}
        ).status_code
        == 302
    )
    dashboard = gera_client.get("/cms/", HTTP_ACCEPT="text/html")
    assert dashboard.status_code == 200
    assert (
        "nichts geändert werden" in dashboard.content.decode() or "nothing can be changed" in dashboard.content.decode()
    )
    with schema_context("gera"):
        home = HomePage.objects.get()
    assert gera_client.get(f"/cms/pages/{home.pk}/edit/").status_code == 200
    refused = gera_client.post(f"/cms/pages/{home.pk}/edit/", {"title": "Übernommen"})
    assert refused.status_code == 403
    assert "Nothing was saved" in refused.content.decode() and "Es wurde nichts gespeichert" in refused.content.decode()
    with schema_context("gera"):
        assert HomePage.objects.get().title == "Stadt Gera"
    assert _counts() == before  # nothing deleted
    assert gera_client.post("/cms/logout/").status_code == 302

    assert admin_client.post("/office/municipalities/gera/resume/").status_code == 302
    gera.refresh_from_db()
    assert gera.is_active and not gera.suspended_for
    assert gera_client.get("/").status_code == 200
    assert _counts() == before
    assert list(OfficeAction.objects.values_list("kind", "municipality_slug")) == [
        ("resume", "gera"),
        ("suspend", "gera"),
    ]


def test_suspending_twice_is_logged_as_no_change(admin_client: Client, gera: Municipality) -> None:
    admin_client.post("/office/municipalities/gera/suspend/")
    admin_client.post("/office/municipalities/gera/suspend/")
    assert list(OfficeAction.objects.values_list("succeeded", flat=True)) == [False, True]
