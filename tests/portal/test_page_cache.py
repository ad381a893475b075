"""Anonymous page cache: isolation between municipalities, hosts and languages; purges; what is never cached."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from cms.models import ContentPage
from cms.page_cache import GENERATION_KEY, page_cache_purge
from services_catalog.local.models import LocalService
from services_catalog.local.services import local_service_update, service_adopt
from tenants.models import Domain, Municipality
from tests.catalogue.factories import published_service

pytestmark = pytest.mark.django_db
NONCE = re.compile(rb'nonce="[^"]*"')


@contextmanager
def committed() -> Iterator[None]:
    """Act as if the block's changes were committed: run, and drop, what they queued with on_commit.

    Tests never commit. pytest-django's ``django_capture_on_commit_callbacks`` runs the callbacks but
    leaves them queued, and the purge queues one callback per transaction and target.
    """
    start = len(connection.run_on_commit)
    yield
    while len(connection.run_on_commit) > start:
        callback = connection.run_on_commit.pop(start)[1]  # (savepoint ids, callback, robust)
        callback()


@pytest.fixture(autouse=True)
def page_cache_on(settings: Any, gera: Municipality, wurzen: Municipality) -> Iterator[None]:
    """The cache switched on, with nothing of earlier tests (whose data rolled back) in it."""
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 300
    with committed():
        page_cache_purge("gera")
        page_cache_purge("wurzen")
    yield


def status(response: HttpResponseBase) -> str | None:
    return response.headers.get("X-Page-Cache")


def test_second_anonymous_view_is_a_hit(gera_client: Client) -> None:
    first = gera_client.get("/")
    second = gera_client.get("/")
    assert first.status_code == second.status_code == 200
    assert (status(first), status(second)) == ("miss", "hit")
    # The same page, but with a nonce of its own (Content-Security-Policy, tests/security/test_csp.py).
    assert NONCE.sub(b"", second.content) == NONCE.sub(b"", first.content) and second.content != first.content
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Content-Length"] == str(len(first.content))
    assert second.headers["Content-Language"] == "de"
    assert "Cookie" in second.headers["Vary"]
    assert status(gera_client.head("/")) == "hit"


def test_hit_reads_no_database_beyond_the_host_lookup(gera_client: Client) -> None:
    gera_client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = gera_client.get("/")
    assert status(response) == "hit"
    statements = [query["sql"] for query in queries.captured_queries]
    assert all('"tenants_domain"' in sql or sql.startswith("SET search_path") for sql in statements), statements


def test_municipalities_never_see_each_others_pages(gera_client: Client, wurzen_client: Client) -> None:
    # Even with equal generation numbers the entries stay apart: the schema is part of every key.
    for schema in ("gera", "wurzen"):
        with schema_context(schema):
            cache.set(GENERATION_KEY, 42, None)
    assert status(gera_client.get("/")) == "miss"
    assert status(gera_client.get("/")) == "hit"

    wurzen_first = wurzen_client.get("/")
    assert status(wurzen_first) == "miss"
    assert "Stadt Wurzen" in wurzen_first.content.decode()
    assert "Stadt Gera" not in wurzen_first.content.decode()

    wurzen_again, gera_again = wurzen_client.get("/"), gera_client.get("/")
    assert (status(wurzen_again), status(gera_again)) == ("hit", "hit")
    assert "Stadt Wurzen" in wurzen_again.content.decode() and "Stadt Gera" not in wurzen_again.content.decode()
    assert "Stadt Gera" in gera_again.content.decode() and "Stadt Wurzen" not in gera_again.content.decode()


def test_languages_have_their_own_entries(gera_client: Client) -> None:
    assert status(gera_client.get("/")) == "miss"
    english = gera_client.get("/en/")
    assert status(english) == "miss"
    german, english = gera_client.get("/"), gera_client.get("/en/")
    assert (status(german), status(english)) == ("hit", "hit")
    assert german.headers["Content-Language"] == "de" and '<html lang="de"' in german.content.decode()
    assert english.headers["Content-Language"] == "en" and '<html lang="en"' in english.content.decode()


def test_hosts_of_one_municipality_have_their_own_entries(gera: Municipality, gera_client: Client) -> None:
    Domain.objects.create(domain="www.gera.localhost", tenant=gera, is_primary=False)
    other_host = Client(HTTP_HOST="www.gera.localhost")
    gera_client.get("/")
    assert status(gera_client.get("/")) == "hit"
    assert status(other_host.get("/")) == "miss"
    assert status(other_host.get("/")) == "hit"


def test_publishing_purges_only_that_municipality(gera_client: Client, wurzen_client: Client) -> None:
    with schema_context("gera"):
        page = ContentPage.objects.live().first()
        assert page is not None
        url = page.get_url()
    for client, path in ((gera_client, url), (gera_client, "/"), (wurzen_client, "/")):
        client.get(path)
        assert status(client.get(path)) == "hit"

    with schema_context("gera"), committed():
        page.title = "Neu: Rathaus und Bürgerbüro"
        page.save_revision().publish()

    published = gera_client.get(url)
    assert status(published) == "miss"
    assert "Neu: Rathaus und Bürgerbüro" in published.content.decode()
    assert status(gera_client.get(url)) == "hit"
    assert status(gera_client.get("/")) == "miss"  # the whole municipality: menus and teasers show titles
    assert status(wurzen_client.get("/")) == "hit"


def test_saving_a_draft_keeps_the_cache(gera_client: Client) -> None:
    with schema_context("gera"):
        page = ContentPage.objects.live().first()
        assert page is not None
        url = page.get_url()
    gera_client.get(url)
    with schema_context("gera"), committed():
        page.title = "Entwurf: Rathaus"
        page.save_revision()
    response = gera_client.get(url)
    assert status(response) == "hit"
    assert "Entwurf: Rathaus" not in response.content.decode()


def test_local_service_change_purges_its_municipality(gera_client: Client, wurzen_client: Client) -> None:
    with committed():
        definition = published_service("cachetest")
    with schema_context("gera"), committed():
        service_adopt(definition=definition, office_name="Bürgeramt Gera")
    for client in (gera_client, wurzen_client):
        client.get("/leistungen/cachetest/")
        client.get("/")
    with schema_context("gera"), committed():
        local_service_update(local=LocalService.objects.get(definition=definition), office_name="Rathaus Gera")
    detail = gera_client.get("/leistungen/cachetest/")
    assert status(detail) == "miss" and "Rathaus Gera" in detail.content.decode()
    assert status(wurzen_client.get("/")) == "hit"


def test_catalogue_publication_purges_every_municipality(gera_client: Client, wurzen_client: Client) -> None:
    for client in (gera_client, wurzen_client):
        client.get("/")
        assert status(client.get("/")) == "hit"
    with committed():
        published_service("cachekatalog")
    assert status(gera_client.get("/")) == "miss"
    assert status(wurzen_client.get("/")) == "miss"


def test_logged_in_users_neither_get_nor_fill_the_cache(gera_client: Client) -> None:
    editor = Client(HTTP_HOST="gera.localhost")
    with schema_context("gera"):
        editor.force_login(User.objects.get(username="it@gera.example"))

    response = editor.get("/")
    assert response.status_code == 200 and status(response) is None
    assert status(gera_client.get("/")) == "miss"  # the editor's view filled nothing

    assert status(gera_client.get("/")) == "hit"
    response = editor.get("/")
    assert response.status_code == 200 and status(response) is None


def test_session_or_message_cookies_bypass_the_cache(gera_client: Client) -> None:
    gera_client.get("/")
    assert status(gera_client.get("/")) == "hit"
    for cookie in ("sessionid", "messages"):
        visitor = Client(HTTP_HOST="gera.localhost")
        visitor.cookies[cookie] = "irgendwas"
        assert status(visitor.get("/")) is None


def test_pages_with_a_form_are_never_cached(settings: Any, gera_client: Client) -> None:
    settings.ROOT_URLCONF = "tests.portal.urls"
    gera_client.get("/test-ohne-formular/")
    assert status(gera_client.get("/test-ohne-formular/")) == "hit"  # the route itself is cacheable

    for _attempt in range(2):
        response = gera_client.get("/test-formular/")
        assert response.status_code == 200 and status(response) == "miss"
    visitor_with_token = Client(HTTP_HOST="gera.localhost")
    visitor_with_token.get("/test-formular/")
    assert status(visitor_with_token.get("/test-formular/")) == "miss"


@pytest.mark.parametrize("path", ["/antraege/", "/en/antraege/", "/healthz", "/cms/login/"])
def test_applications_admin_and_service_paths_are_never_cached(gera_client: Client, path: str) -> None:
    for _attempt in range(2):
        assert status(gera_client.get(path)) is None


def test_query_strings_are_not_cached(gera_client: Client) -> None:
    gera_client.get("/")
    for _attempt in range(2):
        response = gera_client.get("/", {"seite": "2"})
        assert response.status_code == 200 and status(response) is None


def test_platform_host_is_not_cached(platform_client: Client) -> None:
    for _attempt in range(2):
        assert status(platform_client.get("/")) is None


def test_zero_seconds_switches_the_cache_off(settings: Any, gera_client: Client) -> None:
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 0
    for _attempt in range(2):
        response = gera_client.get("/")
        assert response.status_code == 200 and status(response) is None
