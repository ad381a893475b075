"""Availability stays fast and right: a query budget per request, and every change that matters invalidates.

The API's availability is the hot path (bench/appointments.py: 3 offices × 60 days at 20 clients). Warm, it
costs one query (the calendar); after a booking only the free times are recomputed (one range query over
the booked units), the opening calendar and the offer survive; changes of the office's hours, closures or
services are seen at once, not after a timeout (ADR 0065).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django_tenants.utils import schema_context
from ninja.responses import NinjaJSONEncoder

from appointments import selectors, services, slots
from appointments.api import AvailabilityOut, DayOut
from offices.models import OpeningException, OpeningInterval
from tenants.models import Municipality
from tests.appointments.conftest import calendar, next_weekday

pytestmark = pytest.mark.django_db
SERVICE = "meldebescheinigung"
DAYS = 60


def _path(slug: str) -> str:
    return f"/api/v1/appointments/offices/{slug}/availability?services={SERVICE}&days={DAYS}"


def test_availability_request_stays_within_its_query_budget(
    gera: Municipality, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    cal = calendar("gera", "Bürgerbüro Budget", services=(SERVICE,))
    api = Client(HTTP_HOST="gera.localhost")
    api.get("/api/v1/appointments/offices")  # the host is known to the process (its own cached lookup)
    with django_assert_max_num_queries(12):  # cold: calendar, offer, durations, staffing, hours, booked units
        cold = api.get(_path(cal.office.slug))
    assert cold.status_code == 200 and sum(len(day["starts"]) for day in cold.json()["days"]) > 1000
    with django_assert_max_num_queries(1):  # warm: the calendar only
        warm = api.get(_path(cal.office.slug))
    assert warm.json() == cold.json()
    start = datetime.fromisoformat(next(day["starts"][0] for day in warm.json()["days"] if day["starts"]))
    with schema_context("gera"):
        services.booking_reserve(calendar=cal, start=start, service_keys=[SERVICE], email="budget@example.org")
    with django_assert_max_num_queries(2):  # after a booking: the calendar and one range query over booked units
        after = api.get(_path(cal.office.slug))
    starts = [datetime.fromisoformat(s) for day in after.json()["days"] for s in day["starts"]]
    assert start not in starts and len(starts) == sum(len(day["starts"]) for day in warm.json()["days"]) - 1


def test_availability_body_is_what_its_schema_says(gera: Municipality) -> None:
    """The API sends cached texts instead of encoding through AvailabilityOut: the bytes must not differ."""
    cal = calendar("gera", "Bürgerbüro Schema", services=(SERVICE,))
    saturday = next_weekday(5)
    with schema_context("gera"):
        OpeningException.objects.create(office=cal.office, first=saturday, last=saturday, reason_de="Inventur")
    answer = Client(HTTP_HOST="gera.localhost").get(_path(cal.office.slug))
    assert answer["Content-Type"].startswith("application/json")
    with schema_context("gera"):
        days = selectors.availability(cal, minutes=15, days=DAYS)
    expected = AvailabilityOut(
        office=cal.office.slug,
        minutes=15,
        days=[DayOut(day=d.day, starts=d.starts, closed_reason=d.closed_reason) for d in days],
    )
    assert answer.content.decode() == json.dumps(expected.model_dump(), cls=NinjaJSONEncoder)
    assert "Inventur" in answer.content.decode()


def test_office_changes_reach_cached_availability_at_once(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Änderung", services=(SERVICE,))
    saturday, monday = next_weekday(5), next_weekday(0)
    with schema_context("gera"):
        assert selectors.availability(cal, minutes=15, first=saturday, days=1)[0].starts  # now cached
        OpeningInterval.objects.filter(office=cal.office, weekday=5).delete()
        assert selectors.availability(cal, minutes=15, first=saturday, days=1)[0].starts == []
        assert selectors.availability(cal, minutes=15, first=monday, days=1)[0].starts  # cached again
        OpeningException.objects.create(
            office=cal.office, first=monday, last=monday, reason_de="Betriebsausflug", reason_en="Staff outing"
        )
        closed = selectors.availability(cal, minutes=15, first=monday, days=1)[0]
        assert closed.starts == [] and closed.closed_reason == "Betriebsausflug"
        with translation.override("en"):  # the reason in the visitor's language, not the first one cached
            assert selectors.availability(cal, minutes=15, first=monday, days=1)[0].closed_reason == "Staff outing"
        assert selectors.offered_minutes(cal, [SERVICE]) == 15
        cal.office.services.clear()
        cal.office.save()  # modelcluster writes parental many-to-many changes on save
        assert selectors.offered_minutes(cal, [SERVICE]) is None
    assert (
        Client(HTTP_HOST="gera.localhost").get(_path(cal.office.slug)).status_code == 422
    )  # the API sees the withdrawn service at once


def test_lead_time_is_applied_to_cached_times_per_request(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Vorlauf", lead_minutes=60)
    monday = next_weekday(0)
    with schema_context("gera"):
        early = slots.local_instant(monday, time(8))  # the office opens
        all_day = selectors.availability(cal, minutes=15, first=monday, days=1, now=early - timedelta(days=1))[0]
        later = selectors.availability(cal, minutes=15, first=monday, days=1, now=early + timedelta(seconds=1))[0]
    assert all_day.starts[0] == slots.local_instant(monday, time(8))
    assert later.starts[0] == early + timedelta(hours=1, minutes=15)  # 08:00 +1 s + 60 min lead, next unit
    assert all_day.starts[-len(later.starts) :] == later.starts


def test_utc_texts_sort_as_the_instants_do() -> None:
    moment = datetime(2026, 10, 25, 0, 59, 59, 500_000, tzinfo=UTC)
    assert slots.utc_text(moment) == "2026-10-25T01:00:00Z"  # a fraction rounds up
    assert slots.utc_text(moment.astimezone(slots.BERLIN)) == "2026-10-25T01:00:00Z"
    instants = [slots.local_instant(timezone.localdate(), time(8)) + timedelta(minutes=7 * n) for n in range(400)]
    texts = [slots.utc_text(i) for i in instants]
    assert sorted(texts) == texts and [datetime.fromisoformat(t) for t in texts] == instants
