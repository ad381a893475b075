"""The platform's landing page lists the live member portals a page at a time, searchable by name, AGS and state,
in the same number of queries at 20 and at 120 municipalities."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amtsplatz.core.views import MEMBERS_PER_PAGE
from tenants.models import Municipality
from tests.office.test_list_at_scale import fleet

pytestmark = pytest.mark.django_db


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_whatever_the_number_of_members(platform_client: Client) -> None:
    fleet(20)  # every state has a member, so each search below finds some
    few = [_queries(platform_client, path) for path in ("/", "/?q=Testort", "/?state=14")]
    fleet(100, start=20)
    many = [_queries(platform_client, path) for path in ("/", "/?q=Testort", "/?state=14", "/?page=3")]
    assert many[:3] == few and max(many) == max(few)


def test_members_come_in_pages_with_links_to_their_portals(platform_client: Client) -> None:
    fleet(MEMBERS_PER_PAGE + 5)  # the search leaves out municipalities other tests committed
    first = platform_client.get("/?q=Testort").content.decode()
    assert first.count('<li><a href="//portal-testort-') == MEMBERS_PER_PAGE
    assert "Testort 0000" in first and f"Testort {MEMBERS_PER_PAGE:04d}" not in first and 'rel="next"' in first
    second = platform_client.get("/?q=Testort&page=2").content.decode()
    assert f'<a href="//portal-testort-{MEMBERS_PER_PAGE:04d}.example' in second and "Testort 0000" not in second


def test_search_by_name_ags_and_state(platform_client: Client) -> None:
    fleet(40)
    by_name = platform_client.get("/?q=Testort 0017").content.decode()
    assert "Testort 0017" in by_name and "Testort 0018" not in by_name
    ags = Municipality.objects.get(slug="testort-0005").ags
    assert "Testort 0005" in platform_client.get(f"/?q={ags}").content.decode()
    saxony = platform_client.get("/?state=14").content.decode()
    listed = {m.name for m in Municipality.objects.filter(slug__startswith="testort-") if m.name in saxony}
    assert listed == set(
        Municipality.objects.filter(slug__startswith="testort-", state="14").values_list("name", flat=True)
    )
    assert "Keine Mitgliedskommune passt zur Suche." in platform_client.get("/?q=Nirgendwo").content.decode()


def test_suspended_portals_are_not_advertised(platform_client: Client) -> None:
    fleet(3)
    Municipality.objects.filter(slug="testort-0001").update(status=Municipality.Status.SUSPENDED)
    body = platform_client.get("/").content.decode()
    assert "Testort 0000" in body and "Testort 0001" not in body


@pytest.mark.parametrize(
    ("language", "message"), [("de", "Bitte eine gültige Auswahl treffen"), ("en", "Select a valid choice")]
)
def test_an_unknown_state_is_refused_with_a_message(platform_client: Client, language: str, message: str) -> None:
    response = platform_client.get("/?state=XX", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400 and message in response.content.decode()
