"""Capacity is enforced by PostgreSQL: the last free place goes to exactly one of many concurrent bookings."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from appointments import selectors, services, slots
from appointments.errors import BookingError, CalendarConflict, SlotTaken
from appointments.models import Booking, Calendar, SlotLoad
from offices.models import OpeningException, OpeningInterval
from tenants.models import Municipality
from tests.appointments.conftest import at, calendar, next_weekday

THREADS = 8


def _book_concurrently(cal: Calendar, start: Any, count: int) -> list[object]:
    """``count`` threads, each with its own database connection, book ``start`` at the same moment."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = []
    lock = threading.Lock()

    def book(n: int) -> None:
        try:
            with schema_context("gera"):
                barrier.wait()
                try:
                    result: object = services.booking_reserve(
                        calendar=cal, start=start, service_keys=["personalausweis"], email=f"p{n}@example.org"
                    )
                except SlotTaken as taken:
                    result = taken
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_bookings_for_the_last_free_place_exactly_one_wins(
    gera: Municipality, committed: list[Calendar]
) -> None:
    cal = calendar("gera", "Konkurrenz", staff=2)
    committed.append(cal)
    start = at(next_weekday(1), 9)
    with schema_context("gera"):
        services.booking_reserve(calendar=cal, start=start, service_keys=["x"], email="first@example.org")
    outcomes = _book_concurrently(cal, start, THREADS)
    winners = [o for o in outcomes if isinstance(o, Booking)]
    losers = [o for o in outcomes if isinstance(o, SlotTaken)]
    assert len(winners) == 1 and len(losers) == THREADS - 1
    assert all(loser.alternatives and start not in loser.alternatives for loser in losers)
    with schema_context("gera"):
        assert Booking.objects.filter(calendar=cal, start=start).count() == 2
        assert SlotLoad.objects.get(calendar=cal, start=start).booked == 2


@pytest.mark.django_db
def test_the_database_refuses_an_overfilled_unit_whatever_the_code_does(gera: Municipality) -> None:
    cal = calendar("gera")
    with schema_context("gera"):
        load = SlotLoad.objects.create(calendar=cal, start=at(next_weekday(1), 9), capacity=1, booked=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            SlotLoad.objects.filter(pk=load.pk).update(booked=2)


@pytest.mark.django_db
def test_several_services_take_consecutive_units_and_cancel_frees_them(gera: Municipality) -> None:
    cal = calendar("gera")
    start = at(next_weekday(2), 10)
    day = timezone.localtime(start).date()
    with schema_context("gera"):
        assert start in selectors.availability(cal, minutes=30, first=day, days=1)[0].starts  # now cached
        booking = services.booking_reserve(calendar=cal, start=start, service_keys=["a", "b"], email="x@example.org")
        assert booking.minutes == 30 and booking.units == 2
        assert start not in selectors.availability(cal, minutes=30, first=day, days=1)[0].starts  # cache invalidated
        assert list(SlotLoad.objects.filter(calendar=cal).order_by("start").values_list("booked", flat=True)) == [1, 1]
        with pytest.raises(SlotTaken):  # 09:45 + 30 minutes reaches into 10:00
            services.booking_reserve(calendar=cal, start=start - timedelta(minutes=15), service_keys=["a", "b"],
                                     email="y@example.org")  # fmt: skip
        assert not SlotLoad.objects.filter(calendar=cal, start=start - timedelta(minutes=15)).exists()  # rolled back
        services.booking_cancel(token=booking.token)
        services.booking_cancel(token=booking.token)  # twice: nothing freed twice
        assert set(SlotLoad.objects.filter(calendar=cal).values_list("booked", flat=True)) == {0}
        assert start in selectors.availability(cal, minutes=30, first=day, days=1)[0].starts
        services.booking_reserve(calendar=cal, start=start, service_keys=["a", "b"], email="z@example.org")


@pytest.mark.django_db
def test_unconfirmed_reservations_are_released_and_cannot_be_confirmed_later(gera: Municipality) -> None:
    cal = calendar("gera")
    start = at(next_weekday(3), 11)
    with schema_context("gera"):
        booking = services.booking_reserve(calendar=cal, start=start, service_keys=["a"], email="x@example.org")
        later = timezone.now() + timedelta(minutes=cal.hold_minutes + 1)
        assert services.reservations_release(now=later) >= 1
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.EXPIRED
        assert SlotLoad.objects.get(calendar=cal, start=start).booked == 0
        with pytest.raises(BookingError):
            services.booking_confirm(token=booking.token)
        fresh = services.booking_reserve(calendar=cal, start=start, service_keys=["a"], email="y@example.org")
        assert services.booking_confirm(token=fresh.token).status == Booking.Status.CONFIRMED


@pytest.mark.django_db
def test_lead_time_horizon_and_unstaffed_times_are_refused(gera: Municipality) -> None:
    cal = calendar("gera", lead_minutes=24 * 60 * 3, horizon_days=20)
    with schema_context("gera"):
        with pytest.raises(BookingError):
            services.booking_reserve(calendar=cal, start=timezone.now() + timedelta(hours=2), service_keys=["a"],
                                     email="x@example.org")  # fmt: skip
        with pytest.raises(BookingError):
            services.booking_reserve(calendar=cal, start=at(next_weekday(1) + timedelta(days=28), 9),
                                     service_keys=["a"], email="x@example.org")  # fmt: skip
        with pytest.raises(SlotTaken):  # Sunday: nobody at the counter
            services.booking_reserve(calendar=cal, start=at(next_weekday(6, timezone.localdate() + timedelta(days=3)),
                                     9), service_keys=["a"], email="x@example.org")  # fmt: skip


def test_concurrent_tickets_are_unique(gera: Municipality, committed: list[Calendar]) -> None:
    cal = calendar("gera", "Tickets")
    committed.append(cal)
    labels: list[str] = []
    lock = threading.Lock()

    def draw() -> None:
        try:
            with schema_context("gera"):
                for _ in range(5):
                    label = services.ticket_next(calendar=cal, day=timezone.localdate(), prefix="A")
                    with lock:
                        labels.append(label)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(labels) == [f"A-{n:03d}" for n in range(1, 21)]
    with schema_context("gera"):
        cal.ticketsequence_set.all().delete()


@pytest.mark.django_db
def test_holidays_of_the_federal_state_and_office_closures_take_no_appointments(
    gera: Municipality, wurzen: Municipality
) -> None:
    now = datetime(2027, 9, 13, 8, 0, tzinfo=UTC)
    weltkindertag, buss_und_bettag = date(2027, 9, 20), date(2027, 11, 17)  # Thuringia only / Saxony only
    for schema, day in (("gera", weltkindertag), ("wurzen", buss_und_bettag)):
        cal = calendar(schema, horizon_days=90)
        with schema_context(schema):
            days = {d.day: d for d in selectors.availability(cal, minutes=15, first=day, days=1, now=now)}
            assert days[day].starts == [] and days[day].closed_reason
            other = day + timedelta(days=7)
            assert selectors.availability(cal, minutes=15, first=other, days=1, now=now)[0].starts
    cal = calendar("gera", "Standesamt", horizon_days=90)
    with schema_context("gera"):
        assert selectors.availability(cal, minutes=15, first=buss_und_bettag, days=1, now=now)[0].starts
        OpeningException.objects.create(office=cal.office, first=date(2027, 9, 21), last=date(2027, 9, 22),
                                        reason_de="Umzug")  # fmt: skip
        closed = selectors.availability(cal, minutes=15, first=date(2027, 9, 21), days=3, now=now)
        assert [(d.starts == [], d.closed_reason) for d in closed] == [(True, "Umzug"), (True, "Umzug"), (False, None)]


@pytest.mark.django_db
def test_a_clock_change_day_offers_the_hours_really_staffed(gera: Municipality) -> None:
    cal = calendar("gera", "Nachtschalter")
    with schema_context("gera"):
        OpeningInterval.objects.create(office=cal.office, weekday=6, opens=time(0), closes=time(4))
        services.staffing_set(counter=cal.counters.get(), rows=[(6, "00:00", "04:00", 1)])
        now = datetime(2026, 3, 1, tzinfo=UTC)
        spring = selectors.availability(cal, minutes=60, first=date(2026, 3, 29), days=1, now=now)[0]
        autumn = selectors.availability(cal, minutes=60, first=date(2026, 10, 25), days=1, now=datetime(2026, 10, 1,
                                        tzinfo=UTC))[0]  # fmt: skip
        assert len(spring.starts) == 3 * 4 - 3  # 3 real hours, an hour-long appointment ends by 04:00
        assert len(autumn.starts) == 5 * 4 - 3
        assert all(start.astimezone(slots.BERLIN).hour != 2 for start in spring.starts)


@pytest.mark.django_db
def test_contradictory_staffing_is_refused_naming_the_conflict(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgeramt Nord")
    with schema_context("gera"):
        counter = cal.counters.get()
        with pytest.raises(CalendarConflict) as overlap:
            services.staffing_set(counter=counter, rows=[(0, "08:00", "12:00", 1), (0, "11:00", "14:00", 2)])
        assert "Schalter 1: Mo 08:00–12:00 / Schalter 1: Mo 11:00–14:00" in str(overlap.value)
        with pytest.raises(CalendarConflict) as outside:
            services.staffing_set(counter=counter, rows=[(0, "07:00", "09:00", 1)])
        assert "Mo 07:00–09:00" in str(outside.value)
        assert counter.staffing.count() == 6  # nothing changed
        monday_nine = at(next_weekday(0), 9)
        services.booking_reserve(calendar=cal, start=monday_nine, service_keys=["a"], email="x@example.org")
        with pytest.raises(CalendarConflict):
            services.staffing_set(counter=counter, rows=[(0, "12:00", "16:00", 1)])
        assert counter.staffing.count() == 6
        services.staffing_set(counter=counter, rows=[(0, "08:00", "16:00", 3)])
        assert SlotLoad.objects.get(calendar=cal, start=monday_nine).capacity == 3
