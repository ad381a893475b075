"""Host routing, unknown hosts and health checks."""

from __future__ import annotations

import pytest
from django.test import Client

from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def test_unknown_host_gets_a_plain_404_page() -> None:
    response = Client(HTTP_HOST="nirgendwo.localhost").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body and "Page not found" in body
    assert "Amtsplatz" not in body


def test_an_unknown_path_is_a_404_on_every_host(
    gera_client: Client, wurzen_client: Client, platform_client: Client
) -> None:
    for client in (gera_client, wurzen_client, platform_client):
        assert client.get("/gibt-es-nicht/").status_code == 404


def test_an_editors_redirect_applies_on_its_own_portal_only(gera_client: Client, wurzen_client: Client) -> None:
    from django_tenants.utils import schema_context
    from wagtail.contrib.redirects.models import Redirect

    with schema_context("gera"):
        Redirect.objects.create(old_path="/altes-rathaus", redirect_link="/kontakt/")
    assert gera_client.get("/altes-rathaus/")["Location"].endswith("/kontakt/")
    assert wurzen_client.get("/altes-rathaus/").status_code == 404


def test_healthz_names_the_schema_on_every_host(
    gera_client: Client, wurzen_client: Client, platform_client: Client
) -> None:
    for client, schema in ((gera_client, "gera"), (wurzen_client, "wurzen"), (platform_client, "public")):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "schema": schema, "database": "ok"}


def test_platform_home_lists_municipalities(platform_client: Client, gera: Municipality) -> None:
    response = platform_client.get("/")
    assert response.status_code == 200
    assert "Stadt Gera" in response.content.decode()


def test_municipality_home_shows_its_name_and_colours(gera_client: Client) -> None:
    body = gera_client.get("/").content.decode()
    assert '<span class="brand-name">Stadt Gera</span>' in body and "<title>Startseite – Stadt Gera</title>" in body
    assert "--brand-primary: #00529c" in body


def test_wagtail_absolute_links_follow_the_municipality(gera_client: Client, wurzen_client: Client) -> None:
    from django.conf import settings

    gera_client.get("/")
    assert settings.WAGTAILADMIN_BASE_URL == "http://gera.localhost:8000"
    wurzen_client.get("/")
    assert settings.WAGTAILADMIN_BASE_URL == "http://wurzen.localhost:8000"


def test_portal_speaks_german_by_default_and_english_on_request(gera_client: Client) -> None:
    german = gera_client.get("/").content.decode()
    assert '<html lang="de"' in german and "Zum Inhalt springen" in german
    english = gera_client.get("/en/").content.decode()
    assert '<html lang="en"' in english and "Skip to content" in english
