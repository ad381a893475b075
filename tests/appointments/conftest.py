"""Fixtures for appointments: calendars with counters and staffing in a municipality's schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils.text import slugify
from django_tenants.utils import schema_context

from appointments import selectors
from appointments.models import Booking, Calendar, Counter, Staffing
from appointments.slots import local_instant
from offices.models import Office, OpeningInterval
from tests.applications.conftest import offer


def calendar(
    schema: str, name: str = "Bürgerbüro", *, staff: int = 1, services: tuple[str, ...] = (), **fields: Any
) -> Calendar:
    """An office open Monday to Saturday 08:00–16:00 with one counter staffed by ``staff`` people all that time."""
    with schema_context(schema):
        office = Office.objects.create(
            name=name, slug=slugify(name), street="Markt 1", postcode="07545", city=schema.title()
        )
        OpeningInterval.objects.bulk_create(
            OpeningInterval(office=office, weekday=day, opens=time(8), closes=time(16)) for day in range(6)
        )
        if services:
            office.services.add(*(offer(schema, key) for key in services))
            office.save()  # modelcluster writes parental many-to-many changes on save
        created = Calendar.objects.create(office=office, **{"lead_minutes": 0, **fields})
        counter = Counter.objects.create(calendar=created, name="Schalter 1")
        Staffing.objects.bulk_create(
            Staffing(counter=counter, weekday=day, start=time(8), end=time(16), capacity=staff) for day in range(6)
        )
        return created


def next_weekday(weekday: int, after: date | None = None) -> date:
    """The next date (at least two days ahead) that falls on ``weekday``."""
    day = (after or date.today()) + timedelta(days=2)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_instant(day, time(hour, minute))


@pytest.fixture(autouse=True)
def _fresh_availability_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached availability outlives each test's transaction (and a recreated test database's ids)."""
    monkeypatch.setattr(selectors, "CACHE_PREFIX", f"appointments-test-{uuid.uuid4().hex}")


@pytest.fixture
def committed(django_db_blocker: Any) -> Iterator[list[Calendar]]:
    """Database access outside a test transaction (for threads); calendars appended to the list are removed."""
    created: list[Calendar] = []
    with django_db_blocker.unblock():
        yield created
        for item in created:
            with schema_context("gera"):
                Booking.objects.filter(calendar=item).delete()
                item.office.delete()
