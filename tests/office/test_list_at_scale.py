"""The office's municipality list, search and dashboard: a page at a time, indexed, and the same number of queries
whether there are 30 or 300 municipalities (rows without schemas: the list and the dashboard read only public)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amtsplatz.office.models import DashboardFigure
from amtsplatz.office.selectors import PAGE_SIZE, municipality_search
from tenants.cross_schema import CHUNK, query_all_municipalities
from tenants.models import Domain, FederalState, Municipality

pytestmark = pytest.mark.django_db

STATES = FederalState.values


def fleet(count: int, start: int = 0) -> None:
    """``count`` municipalities ``Testort 0000`` … in the public tables only, spread over the states."""
    numbers = range(start, start + count)
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"Testort {i:04d}",
            slug=f"testort-{i:04d}",
            schema_name=f"testort_{i:04d}",
            ags=f"{STATES[i % 16]}{i:06d}",
            state=STATES[i % 16],
        )
        for i in numbers
    )
    Domain.objects.bulk_create(
        Domain(domain=f"portal-{m.slug}.example", tenant=m, is_primary=True) for m in municipalities
    )
    _figures(Municipality.objects.count())


def _figures(count: int) -> None:
    """The figures the aggregation stores (what the dashboard reads), for ``count`` municipalities."""
    now = timezone.now()
    DashboardFigure.objects.all().delete()
    DashboardFigure.objects.bulk_create(
        [DashboardFigure(metric="status", dimension="active", value=Decimal(count), computed=now),
         DashboardFigure(metric="mrr", dimension="", value=Decimal(count * 89), computed=now)]
        + [DashboardFigure(metric="applications", dimension=f"dienst-{i}", month=date(2026, 1 + i % 12, 1),
                           value=Decimal(i), computed=now) for i in range(24)]
    )  # fmt: skip


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:500]
    return len(queries)


PATHS = (
    "/office/",
    "/office/?page=2",
    "/office/?page=999",
    "/office/?sort=-ags",
    "/office/?sort=state&state=14",
    "/office/?q=Testort+00",
    "/office/?q=1400",
    "/office/?q=portal-testort-001",
    "/office/dashboard/",
)


def test_list_search_and_dashboard_cost_the_same_at_30_and_300_municipalities(
    admin_client: Client, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    fleet(30)
    small = {path: _queries(admin_client, path) for path in PATHS}
    fleet(270, start=30)
    large = {path: _queries(admin_client, path) for path in PATHS}
    assert large == small
    # Session, user, permissions; the count, the page, its subscriptions, invoices and domains (and the domains
    # found by a search); django-tenants sets the search_path around the per-row payment state without a query.
    for path in PATHS:
        with django_assert_max_num_queries(16):
            admin_client.get(path)


def test_list_is_paginated_sorted_and_searchable(admin_client: Client) -> None:
    fleet(120)
    page = admin_client.get("/office/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('<a href="/office/municipalities/') == PAGE_SIZE  # with the session's Gera and Wurzen, if any
    assert "Testort 0000" in page and f"Testort {PAGE_SIZE:04d}" not in page
    assert 'aria-sort="ascending"' in page and "page 1 of 3" in page

    last = admin_client.get("/office/?page=3").content.decode()
    assert "Testort 0119" in last and "Testort 0000" not in last

    descending = admin_client.get("/office/?sort=-name").content.decode()
    assert descending.index("Testort 0119") < descending.index("Testort 0118")

    saxony = admin_client.get("/office/?state=14").content.decode()
    names = {f"Testort {i:04d}" for i in range(120) if STATES[i % 16] == "14"}
    assert all(name in saxony for name in names) and "Testort 0000" not in saxony

    by_ags = [m.name for m in municipality_search(query="14000029")]
    assert by_ags == ["Testort 0029"]
    by_ags_prefix = {m.name for m in municipality_search(query="140")}
    assert by_ags_prefix == names
    assert [m.name for m in municipality_search(query="ORT 0042")] == ["Testort 0042"]  # any case, mid-word
    assert [m.name for m in municipality_search(query="portal-testort-0077.ex")] == ["Testort 0077"]
    assert [m.name for m in municipality_search(query="nirgendwo")] == []


def test_a_bad_filter_is_refused_with_a_message(admin_client: Client) -> None:
    english = admin_client.get("/office/?state=99", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert "Select a valid choice" in english.content.decode()
    german = admin_client.get("/office/?sort=drop", HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in german.content.decode()


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_searches_can_use_their_indexes() -> None:
    """The indexes match the SQL Django writes (``UPPER(name::text) LIKE``, ``ags::text LIKE '14%'``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
        trigram = cursor.fetchone()[0]
    name_sql, name_params = Municipality.objects.filter(name__icontains="borna").order_by().query.sql_with_params()
    ags_sql, ags_params = Municipality.objects.filter(ags__startswith="147").query.sql_with_params()
    domain_sql, domain_params = Domain.objects.filter(domain__icontains="borna").query.sql_with_params()
    assert "municipality_ags_prefix" in _plan(ags_sql, ags_params)
    assert ("municipality_name_trgm" in _plan(name_sql, name_params)) is trigram
    assert ("domain_domain_trgm" in _plan(domain_sql, domain_params)) is trigram
    ordered = Municipality.objects.filter(state="14").order_by("state", "name", "id")[:50]
    order_sql, order_params = ordered.query.sql_with_params()
    assert "municipality_state_order" in _plan(order_sql, order_params)


def test_the_aggregation_reads_the_schemas_in_chunks(gera: Municipality, wurzen: Municipality) -> None:
    select = "SELECT count(*) FROM {schema}.django_migrations"
    whole = query_all_municipalities(select)
    with CaptureQueriesContext(connection) as one_by_one:
        chunked = query_all_municipalities(select, chunk=1)
    assert chunked == whole and {slug for slug, _count in chunked} >= {"gera", "wurzen"}
    statements = [q["sql"] for q in one_by_one.captured_queries if "django_migrations" in q["sql"]]
    assert len(statements) == len(chunked)  # one statement per schema with chunk=1


def test_the_dashboard_queues_its_first_aggregation_instead_of_reading_every_schema(
    admin_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """With more municipalities than one statement reads (a small installation gets its figures at once)."""
    fleet(CHUNK + 1)
    DashboardFigure.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.get("/office/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "being computed now" in response.content.decode()
    assert not DashboardFigure.objects.exists() and len(callbacks) == 1
