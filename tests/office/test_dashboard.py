"""The office dashboard: aggregation over three municipalities, a page of few queries, the refresh task."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.office.dashboard import dashboard_aggregate
from amtsplatz.office.models import DashboardFigure, OfficeAction
from applications.models import Application
from billing.models import Plan, Subscription
from tenants.models import Municipality, SuspensionReason
from tenants.services import municipality_suspend
from tests.applications.conftest import file_dog, offer

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
DOG, PARKING = "hundesteuer-anmeldung", "bewohnerparkausweis"


@pytest.fixture(scope="module")
def borna(django_db_setup: None, django_db_blocker: Any) -> Iterator[Municipality]:
    """A third municipality, committed like the session fixtures, dropped at the end."""
    from tenants.services import municipality_create, municipality_delete

    def drop() -> None:
        existing = Municipality.objects.filter(slug="borna").first()
        if existing is not None:
            municipality_delete(existing)
        with connection.cursor() as cursor:
            cursor.execute('DROP SCHEMA IF EXISTS "borna" CASCADE')

    with django_db_blocker.unblock():
        drop()
        municipality = municipality_create(
            name="Stadt Borna",
            slug="borna",
            domain="borna.localhost",
            ags="14729050",
            state="14",
            admin_email="it@borna.example",
        ).municipality
    yield municipality
    with django_db_blocker.unblock():
        drop()


def _file_dog_on(schema: str, when: datetime) -> None:
    with schema_context(schema):
        application = file_dog()
        Application.objects.filter(pk=application.pk).update(submitted_at=when)


@pytest.fixture
def seeded(gera: Municipality, wurzen: Municipality, borna: Municipality) -> None:
    """Gera: 2 dog-tax applications (Jan, Feb 2026); Wurzen: 1 (Feb) and parking; Borna: parking, suspended.

    Plans: Gera 100 €/month active, Wurzen 1,200 €/year past due, Borna 50 €/month not yet active.
    """
    for schema in ("gera", "wurzen"):
        offer(schema, DOG)
    for schema in ("wurzen", "borna"):
        offer(schema, PARKING)
    _file_dog_on("gera", datetime(2026, 1, 31, 23, 30, tzinfo=BERLIN))
    _file_dog_on("gera", datetime(2026, 2, 1, 0, 30, tzinfo=BERLIN))
    _file_dog_on("wurzen", datetime(2026, 2, 14, 10, 0, tzinfo=BERLIN))
    monthly = Plan.objects.create(key="test-klein", name="Klein", amount=Decimal("100.00"))
    yearly = Plan.objects.create(key="test-jahr", name="Jahr", amount=Decimal("1200.00"), interval=Plan.Interval.YEAR)
    cheap = Plan.objects.create(key="test-mini", name="Mini", amount=Decimal("50.00"))
    Subscription.objects.create(municipality=gera, plan=monthly, state=Subscription.State.ACTIVE)
    Subscription.objects.create(municipality=wurzen, plan=yearly, state=Subscription.State.PAST_DUE)
    Subscription.objects.create(municipality=borna, plan=cheap, state=Subscription.State.PENDING)
    municipality_suspend(municipality=borna, reason=SuspensionReason.OFFICE)


def _figures(metric: str) -> dict[tuple[str, date | None], Decimal]:
    return {(f.dimension, f.month): f.value for f in DashboardFigure.objects.filter(metric=metric)}


def test_aggregation_over_three_municipalities(seeded: None) -> None:
    Municipality.objects.exclude(slug__in=["gera", "wurzen", "borna"]).delete()  # only the seeded three count
    dashboard_aggregate(actor=None)

    assert _figures("status") == {("active", None): 2, ("suspended", None): 1}
    assert _figures("plan") == {("test-klein", None): 1, ("test-jahr", None): 1, ("test-mini", None): 1}
    assert _figures("mrr") == {("", None): Decimal("200.00")}  # 100 + 1,200 / 12; pending not counted
    assert _figures("applications") == {
        (DOG, date(2026, 1, 1)): 1,  # 31 Jan 23:30 in Germany, although already February in UTC
        (DOG, date(2026, 2, 1)): 2,
    }
    assert _figures("adoption") == {(DOG, None): 2, (PARKING, None): 2}
    assert not _figures("participation")
    assert OfficeAction.objects.get(kind="aggregate").detail == {"figures": DashboardFigure.objects.count()}

    dashboard_aggregate(actor=None)  # a repeated run replaces, never adds
    assert _figures("applications")[(DOG, date(2026, 2, 1))] == 2


def test_page_shows_charts_and_tables_in_few_queries(
    seeded: None, admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    dashboard_aggregate(actor=None)
    # Session, user, 2× permissions, figures, service names, plan names; django-tenants sets the search_path
    # before each. None of them depends on the number of municipalities.
    with django_assert_max_num_queries(14):
        response = admin_client.get("/office/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "€200.00" in html
    assert html.count('<svg role="img"') == 4 and html.count("<table") >= 5  # a table beside every chart
    assert '<th scope="row">Register a dog for dog tax</th><td>1</td><td>2</td>' in html  # Jan, Feb
    assert '<th scope="row">suspended</th><td>1</td>' in html


def test_compute_now_queues_the_aggregation(
    admin_client: Client,
    office_admin: Any,
    gera: Municipality,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/office/dashboard/refresh/")
    assert response.status_code == 302
    assert DashboardFigure.objects.filter(metric="status").exists()
    assert OfficeAction.objects.get(kind="aggregate").actor == office_admin


def test_municipality_users_and_other_hosts_cannot_reach_the_dashboard(gera_client: Client) -> None:
    assert gera_client.get("/office/dashboard/").status_code == 404
    anonymous = Client(HTTP_HOST="localhost").get("/office/dashboard/")
    assert anonymous.status_code == 302 and "/office/login/" in anonymous["Location"]
