"""The demo shows appointments on every demo municipality: calendars, a called number, a kiosk terminal."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from appointments import selectors
from appointments.demo import appointments_demo_ensure
from appointments.models import Calendar, KioskDevice
from offices.demo import offices_demo_ensure
from tenants.models import Municipality
from tests.applications.conftest import offer

pytestmark = pytest.mark.django_db


def test_demo_calendars_bookings_and_a_called_number(gera: Municipality) -> None:
    offer("gera", "meldebescheinigung")
    with schema_context("gera"):
        offices_demo_ensure("gera")
        appointments_demo_ensure("gera")
        appointments_demo_ensure("gera")  # idempotent
        calendars = list(Calendar.objects.filter(office__slug__in=["buergerservice", "buergerbuero-lusan"]))
        assert calendars and all(c.counters.count() == 3 for c in calendars)
        assert KioskDevice.objects.count() == len(calendars)
        called = [selectors.queue_state(c)["called"] for c in calendars]
        assert any(state and state[0]["ticket"] == "A-001" for state in called)
