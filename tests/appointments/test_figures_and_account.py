"""Waiting time on the office page, statistics in /cms/ and in the office dashboard, a citizen's appointments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from amtsplatz.office import roles
from amtsplatz.office.dashboard import dashboard_aggregate
from amtsplatz.office.models import DashboardFigure
from appointments import selectors, services
from appointments.models import Booking, Calendar
from citizens.selectors import personal_data
from citizens.services import account_delete
from tenants.db import use_public_schema
from tenants.models import Municipality
from tests.appointments.conftest import calendar

pytestmark = pytest.mark.django_db
SERVICE = "personalausweis"


def _served(cal: Calendar, *, waited: int, no_show: bool = False) -> Booking:
    """A walk-in checked in ``waited`` minutes before being called (today), then served or missed."""
    now = timezone.now()
    booking = services.walk_in_add(calendar=cal, service_keys=[SERVICE], now=now - timedelta(minutes=waited + 1))
    called = services.call_next(counter=cal.counters.get(), now=now - timedelta(minutes=1))
    assert called is not None and called.pk == booking.pk
    return services.booking_finish(booking=called, status=Booking.Status.NO_SHOW if no_show else Booking.Status.DONE)


def test_the_office_page_shows_the_current_waiting_time_of_its_own_counters(
    gera: Municipality, wurzen: Municipality
) -> None:
    cal = calendar("gera", "Bürgerbüro Wartezeit", services=(SERVICE,))
    with schema_context("gera"):
        _served(cal, waited=12)
        assert selectors.waiting_minutes(cal) == 12
    page = Client(HTTP_HOST="gera.localhost").get(f"/dienststellen/{cal.office.slug}/").content.decode()
    assert "Aktuelle Wartezeit" in page and "etwa 12 Minuten" in page and 'href="/termine/"' in page
    english = Client(HTTP_HOST="gera.localhost").get(f"/en/dienststellen/{cal.office.slug}/").content.decode()
    assert "Current waiting time" in english and "about 12 minutes" in english
    calendar("wurzen", "Bürgerbüro Wartezeit")  # the same address on Wurzen's portal: its own (empty) queue
    other = Client(HTTP_HOST="wurzen.localhost").get(f"/dienststellen/{cal.office.slug}/").content.decode()
    assert "Aktuelle Wartezeit" not in other


def test_cms_dashboard_and_office_dashboard_show_bookings_no_shows_and_waits(
    gera: Municipality, wurzen: Municipality
) -> None:
    Municipality.objects.exclude(slug__in=["gera", "wurzen"]).delete()
    gera_cal = calendar("gera", "Bürgerbüro Statistik", services=(SERVICE,))
    wurzen_cal = calendar("wurzen", "Bürgerbüro Wurzen", services=(SERVICE,))
    with schema_context("gera"):
        _served(gera_cal, waited=10)
        _served(gera_cal, waited=20)
        _served(gera_cal, waited=0, no_show=True)
    with schema_context("wurzen"):
        _served(wurzen_cal, waited=30)
    gera_staff = Client(HTTP_HOST="gera.localhost")
    assert (
        gera_staff.post("/cms/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"}).status_code
        == 302
    )
    panel = gera_staff.get("/cms/").content.decode()
    assert 'id="appointment-statistics' in panel and "Bürgerbüro Statistik" in panel
    assert "<td>3</td><td>33 %</td><td>10 min</td>" in panel  # 3 bookings, 1 no-show, (10 + 20 + 0) / 3
    assert "Bürgerbüro Wurzen" not in panel
    wurzen_staff = Client(HTTP_HOST="wurzen.localhost")
    assert (
        wurzen_staff.post(
            "/cms/login/", {"username": "it@wurzen.example", "password": "Wurzen-Admin-Passwort-1"}
        ).status_code
        == 302
    )
    assert "Bürgerbüro Statistik" not in wurzen_staff.get("/cms/").content.decode()

    dashboard_aggregate(actor=None)
    month = timezone.localdate().replace(day=1)
    figures = {
        (f.metric, f.dimension, f.month): f.value
        for f in DashboardFigure.objects.filter(metric__startswith="appointment")
    }
    assert figures == {
        ("appointments", SERVICE, month): Decimal(4),
        ("appointment_no_shows", SERVICE, month): Decimal(1),
        ("appointment_wait", SERVICE, None): Decimal(15),  # (10 + 20 + 0 + 30) / 4
    }
    use_public_schema()  # the office's staff are users of the public schema
    office = User.objects.create_user("statistik@office.example", "statistik@office.example", "x", is_staff=True)
    office.groups.add(Group.objects.get(name=roles.OFFICE_ADMIN))
    admin_client = Client(HTTP_HOST="localhost")
    admin_client.force_login(office)
    html = admin_client.get("/office/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>4</td><td>25.0 %</td><td>15 min</td>" in html


def test_a_citizen_account_has_its_appointments_in_my_data_and_erasure_keeps_only_counts(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Konto", services=(SERVICE,))
    with schema_context("gera"):
        user = User.objects.create_user("erika@example.org", "erika@example.org", "Kennwort-Erika-1")
        free = [s for day in selectors.availability(cal, minutes=20, days=10) for s in day.starts]
        logged_in = services.booking_reserve(
            calendar=cal, start=free[0], service_keys=[SERVICE], email="erika@example.org", citizen_id=user.pk
        )
        as_guest = services.booking_reserve(
            calendar=cal, start=free[5], service_keys=[SERVICE], email="Erika@Example.org"
        )
        services.booking_reserve(calendar=cal, start=free[9], service_keys=[SERVICE], email="max@example.org")
        past = _served(cal, waited=3)
        Booking.objects.filter(pk=past.pk).update(citizen_id=user.pk, name="Erika", email="erika@example.org")
        data = personal_data(user)
        starts = {item["start"] for item in data["appointments"]}
        assert logged_in.start and as_guest.start
        assert {logged_in.start.isoformat(), as_guest.start.isoformat()} <= starts
        assert len(data["appointments"]) == 3 and all(i["email"] != "max@example.org" for i in data["appointments"])
        assert data["mobile_service"] == [] and data["home_visit_requests"] == []
        account_delete(user=user)
        kept = Booking.objects.get(pk=past.pk)
        assert (kept.name, kept.email, kept.citizen_id, kept.status) == ("", "", None, Booking.Status.DONE)
        assert Booking.objects.get(pk=logged_in.pk).citizen_id is None
