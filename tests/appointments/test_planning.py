"""Planning in /cms/: calendars and counters, contradictory staffing refused by name; appointment lengths."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from appointments import selectors
from appointments.models import Calendar, Counter, ServiceDuration, Staffing
from tenants.models import Municipality
from tests.appointments.conftest import calendar

pytestmark = pytest.mark.django_db


def _cms(host: str, username: str, password: str) -> Client:
    client = Client(HTTP_HOST=host)
    assert client.post("/cms/login/", {"username": username, "password": password}).status_code == 302
    return client


def _counter_post(calendar_pk: int, rows: list[tuple[int, str, str, int]], name: str = "Schalter 2") -> dict[str, str]:
    data = {
        "calendar": str(calendar_pk), "name": name, "staffing-TOTAL_FORMS": str(len(rows)),
        "staffing-INITIAL_FORMS": "0", "staffing-MIN_NUM_FORMS": "0", "staffing-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, (weekday, start, end, staff) in enumerate(rows):
        data.update({
            f"staffing-{index}-weekday": str(weekday), f"staffing-{index}-start": start,
            f"staffing-{index}-end": end, f"staffing-{index}-capacity": str(staff),
        })  # fmt: skip
    return data


def _calendar_post(office_pk: int, durations: list[tuple[str, int]], **extra: str) -> dict[str, str]:
    data = {
        "office": str(office_pk), "active": "on", "grid_minutes": "15", "hold_minutes": "10", "horizon_days": "60",
        "lead_minutes": "120", "max_per_email": "2", "ticket_prefix": "A", "walk_in_prefix": "W",
        "durations-TOTAL_FORMS": str(len(durations)), "durations-INITIAL_FORMS": "0",
        "durations-MIN_NUM_FORMS": "0", "durations-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for index, (key, minutes) in enumerate(durations):
        data.update({f"durations-{index}-service_key": key, f"durations-{index}-minutes": str(minutes)})
    data.update(extra)
    return data


def test_lengths_come_from_the_office_then_the_catalogue_then_fifteen_minutes(gera: Municipality) -> None:
    cal = calendar("gera", services=("personalausweis", "wohngeld"))
    with schema_context("gera"):
        assert selectors.service_minutes(cal, ["personalausweis"]) == 20  # the catalogue's seed value
        assert selectors.service_minutes(cal, ["wohngeld"]) == selectors.DEFAULT_MINUTES  # no length anywhere
        ServiceDuration.objects.create(calendar=cal, service_key="personalausweis", minutes=30)
        assert selectors.service_minutes(cal, ["personalausweis", "wohngeld"]) == 45  # lengths add up


def test_cms_refuses_contradictory_staffing_naming_the_conflict(gera: Municipality) -> None:
    cal = calendar("gera", services=("personalausweis",))
    client = _cms("gera.localhost", "it@gera.example", "Gera-Admin-Passwort-1")
    url = "/cms/snippets/appointments/counter/add/"
    overlapping = client.post(url, _counter_post(cal.pk, [(0, "08:00", "12:00", 1), (0, "11:00", "14:00", 2)]))
    assert overlapping.status_code == 400
    assert "Schalter 2: Mo 08:00–12:00 / Schalter 2: Mo 11:00–14:00" in overlapping.content.decode()
    outside = client.post(url, _counter_post(cal.pk, [(1, "07:00", "09:00", 1)]))
    assert outside.status_code == 400
    assert "Schalter 2: Di 07:00–09:00" in outside.content.decode()
    off_grid = client.post(url, _counter_post(cal.pk, [(2, "08:10", "09:00", 1)]))
    assert off_grid.status_code == 400 and "Mi 08:10–09:00" in off_grid.content.decode()
    with schema_context("gera"):
        assert not Counter.objects.filter(name="Schalter 2").exists()
    saved = client.post(url, _counter_post(cal.pk, [(0, "08:00", "12:00", 2)]))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with schema_context("gera"):
        counter = Counter.objects.get(name="Schalter 2")
        assert [(s.weekday, s.start, s.end, s.capacity) for s in Staffing.objects.filter(counter=counter)] == [
            (0, time(8), time(12), 2)
        ]


def test_cms_calendar_sets_local_lengths_and_refuses_a_grid_the_staffing_does_not_fit(gera: Municipality) -> None:
    cal = calendar("gera", services=("personalausweis",))
    client = _cms("gera.localhost", "it@gera.example", "Gera-Admin-Passwort-1")
    url = f"/cms/snippets/appointments/calendar/edit/{cal.pk}/"
    twice = client.post(url, _calendar_post(cal.office_id, [("personalausweis", 25), ("personalausweis", 30)]))
    assert twice.status_code == 400
    saved = client.post(url, _calendar_post(cal.office_id, [("personalausweis", 25)], horizon_days="30"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with schema_context("gera"):
        Staffing.objects.filter(counter__calendar=cal).update(start=time(8, 15))
        assert Calendar.objects.get(pk=cal.pk).horizon_days == 30
        assert selectors.service_minutes(cal, ["personalausweis"]) == 25
    refused = client.post(url, _calendar_post(cal.office_id, [], grid_minutes="30"))
    assert refused.status_code == 400
    assert "08:15–16:00" in refused.content.decode()


def test_wurzen_cms_lists_none_of_geras_calendars_or_counters(gera: Municipality, wurzen: Municipality) -> None:
    pk = calendar("gera", "Bürgerbüro Gera-Mitte").pk
    client = _cms("wurzen.localhost", "it@wurzen.example", "Wurzen-Admin-Passwort-1")
    assert "Gera-Mitte" not in client.get("/cms/snippets/appointments/calendar/").content.decode()
    assert "Schalter 1" not in client.get("/cms/snippets/appointments/counter/").content.decode()
    assert client.get(f"/cms/snippets/appointments/calendar/edit/{pk}/").status_code == 404
