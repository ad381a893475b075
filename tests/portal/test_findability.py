"""Errors and findability: branded 404/500 per municipality, robots.txt, sitemap.xml, meta tags."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from defusedxml import ElementTree as ET
from django.db import OperationalError, connection
from django.test import Client

from tenants.models import Municipality

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _unreachable(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [("/gibt-es-nicht/", "de", "Seite nicht gefunden"), ("/en/does-not-exist/", "en", "Page not found")],
)
def test_404_is_branded_per_municipality_and_language(
    gera: Municipality, wurzen: Municipality, path: str, language: str, heading: str
) -> None:
    gera_page = Client(HTTP_HOST="gera.localhost").get(path)
    wurzen_page = Client(HTTP_HOST="wurzen.localhost").get(path)
    assert gera_page.status_code == wurzen_page.status_code == 404
    gera_html, wurzen_html = gera_page.content.decode(), wurzen_page.content.decode()
    assert f'<html lang="{language}"' in gera_html
    assert heading in gera_html and heading in wurzen_html
    assert "Stadt Gera" in gera_html and "#00529c" in gera_html
    assert "Wurzen" not in gera_html and "#8a1538" not in gera_html
    assert "Stadt Wurzen" in wurzen_html and "#8a1538" in wurzen_html
    assert "Gera" not in wurzen_html
    assert 'class="site-search"' in gera_html and 'rel="canonical"' not in gera_html
    home = "/" if language == "de" else "/en/"
    assert f'href="{home}"' in gera_html


def test_500_is_branded_when_the_database_answers(gera: Municipality, gera_client: Client) -> None:
    from cms.errors import server_error

    request = gera_client.get("/").wsgi_request  # a real request of Gera's host, tenant and language set
    response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Vorübergehende Störung" in html and "Stadt Gera" in html and "#00529c" in html


@pytest.mark.parametrize(("path", "heading"), [("/", "Vorübergehende Störung"), ("/en/", "Temporary fault")])
def test_500_renders_without_a_database(gera: Municipality, path: str, heading: str) -> None:
    client = Client(HTTP_HOST="gera.localhost", raise_request_exception=False)
    client.get(path)  # the host → municipality lookup is cached, as in production after the first request
    with connection.execute_wrapper(_unreachable):
        response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 500
    assert heading in html and "Stadt Gera" in html
    assert "Traceback" not in html and "Connection refused" not in html


def test_platform_host_has_its_own_error_pages(platform_client: Client) -> None:
    response = platform_client.get("/gibt-es-nicht/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html and "Kooperationsstelle" in html and "platform.css" in html
    english = platform_client.get("/missing/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in english.content.decode()


def _sitemap_urls(client: Client, host: str) -> tuple[list[str], list[str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [node.text or "" for node in root.iter(f"{SITEMAP}loc")]
    alternates = [node.get("href", "") for node in root.iter(f"{XHTML}link")]
    return locations, alternates


def test_sitemap_lists_own_pages_and_services_in_both_languages(
    gera: Municipality, wurzen: Municipality, gera_client: Client, wurzen_client: Client
) -> None:
    locations, alternates = _sitemap_urls(gera_client, "gera.localhost")
    assert "http://gera.localhost/" in locations and "http://gera.localhost/en/" in locations
    assert all(url.startswith("http://gera.localhost/") for url in locations + alternates)
    assert any("hreflang" in line for line in gera_client.get("/sitemap.xml").content.decode().splitlines())
    wurzen_locations, _ = _sitemap_urls(wurzen_client, "wurzen.localhost")
    assert all(url.startswith("http://wurzen.localhost/") for url in wurzen_locations)
    assert not set(locations) & set(wurzen_locations)


def test_sitemap_never_lists_unpublished_or_private_pages(gera: Municipality, gera_client: Client) -> None:
    from django_tenants.utils import schema_context
    from wagtail.models import PageViewRestriction, Site

    from cms.models import ContentPage

    with schema_context("gera"):
        home = Site.objects.get(is_default_site=True).root_page
        draft = home.add_child(instance=ContentPage(title="Entwurf", slug="entwurf-sitemap", live=False))
        private = home.add_child(instance=ContentPage(title="Intern", slug="intern-sitemap"))
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        public = home.add_child(instance=ContentPage(title="Offen", slug="offen-sitemap"))
    locations, _ = _sitemap_urls(gera_client, "gera.localhost")
    assert "http://gera.localhost/offen-sitemap/" in locations
    assert "http://gera.localhost/en/offen-sitemap/" in locations
    assert not [url for url in locations if "entwurf-sitemap" in url or "intern-sitemap" in url]
    with schema_context("gera"):
        for page in (draft, private, public):
            page.delete()


def test_robots_txt_per_host(gera: Municipality, gera_client: Client, platform_client: Client) -> None:
    robots = gera_client.get("/robots.txt")
    assert robots.status_code == 200 and robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Sitemap: http://gera.localhost/sitemap.xml" in text and "Disallow: /cms/" in text
    platform = platform_client.get("/robots.txt").content.decode()
    assert "Disallow: /office/" in platform and "gera" not in platform


def test_pages_carry_description_canonical_and_hreflang(gera: Municipality, gera_client: Client) -> None:
    for path in ("/", "/en/"):
        html = gera_client.get(path).content.decode()
        description = re.search(r'<meta name="description" content="([^"]*)"', html)
        assert description is not None and len(description.group(1)) > 20
        assert f'<link rel="canonical" href="http://gera.localhost{path}">' in html
        assert '<link rel="alternate" hreflang="en" href="http://gera.localhost/en/">' in html
        assert '<link rel="alternate" hreflang="x-default" href="http://gera.localhost/">' in html


def test_images_carry_width_and_height(gera: Municipality, gera_client: Client) -> None:
    from django_tenants.utils import schema_context

    from themes.demo_images import demo_images_ensure

    with schema_context("gera"):
        demo_images_ensure("gera")
    html = gera_client.get("/").content.decode()
    images = re.findall(r"<img [^>]*>", html)
    assert images
    for tag in images:
        assert re.search(r'width="\d+"', tag) and re.search(r'height="\d+"', tag), tag


def test_fonts_swap_and_their_preloaded_files_exist() -> None:
    from tests.conftest import PROJECT_ROOT
    from themes.registry import FONTS

    fontsource = PROJECT_ROOT / "node_modules" / "@fontsource"
    for font in FONTS.values():
        assert len(font.preloads) == len(font.stylesheets)
        for sheet in font.stylesheets:
            assert "font-display: swap" in (fontsource / sheet.removeprefix("fonts/")).read_text(), sheet
        for file in font.preloads:
            assert (fontsource / file.removeprefix("fonts/")).is_file(), file


def test_the_js_class_is_set_before_first_paint(gera: Municipality, gera_client: Client) -> None:
    """The mobile menu collapses in the head, not when the deferred script runs (a layout shift)."""
    html = gera_client.get("/").content.decode()
    head = html.split("</head>")[0]
    assert 'classList.replace("no-js", "js")' in head.split("<script src=")[0]
