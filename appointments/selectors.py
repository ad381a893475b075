"""Reads: a calendar's staffing, closed days, free times, the day at the counter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from appointments import slots
from appointments.models import Booking, Calendar, Closure, ServiceDuration, SlotLoad, Staffing

DEFAULT_MINUTES = 15  # a service without a local length (ADR 0066)


@dataclass(frozen=True)
class Day:
    """One day of the calendar as the booking page shows it."""

    day: date
    starts: list[datetime]
    closed_reason: str = ""


def calendar_intervals(calendar: Calendar) -> list[slots.Interval]:
    return [s.interval() for s in Staffing.objects.filter(counter__calendar=calendar).select_related("counter")]


def service_minutes(calendar: Calendar, service_keys: list[str]) -> int:
    """Length of one appointment for all ``service_keys``: their lengths add up."""
    local = dict(ServiceDuration.objects.filter(calendar=calendar).values_list("service_key", "minutes"))
    return sum(local.get(key, DEFAULT_MINUTES) for key in service_keys)


def closed_reasons(calendar: Calendar, first: date, last: date) -> dict[date, str]:
    """Days between ``first`` and ``last`` on which the calendar takes no appointments, with the reason."""
    reasons: dict[date, str] = {}
    for closure in Closure.objects.filter(calendar=calendar, first_day__lte=last, last_day__gte=first):
        day = max(closure.first_day, first)
        while day <= min(closure.last_day, last):
            reasons[day] = closure.reason
            day += timedelta(days=1)
    return reasons


def earliest_start(calendar: Calendar, now: datetime) -> datetime:
    return now + timedelta(minutes=calendar.lead_minutes)


def last_day(calendar: Calendar, now: datetime) -> date:
    return timezone.localdate(now) + timedelta(days=calendar.horizon_days)


def availability(
    calendar: Calendar, *, minutes: int, first: date | None = None, days: int | None = None, now: datetime | None = None
) -> list[Day]:
    """Free start times for an appointment of ``minutes``, day by day, within horizon and lead time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = max(first or today, today)
    final = last_day(calendar, now)
    if days is not None:
        final = min(final, first + timedelta(days=days - 1))
    if first > final:
        return []
    intervals = calendar_intervals(calendar)
    reasons = closed_reasons(calendar, first, final)
    window_start = slots.local_instant(first, time(0))
    window_end = slots.local_instant(final + timedelta(days=1), time(0))
    booked = dict(
        SlotLoad.objects.filter(calendar=calendar, start__gte=window_start, start__lt=window_end).values_list(
            "start", "booked"
        )
    )
    units = slots.units_for(minutes, calendar.grid_minutes)
    earliest = earliest_start(calendar, now)
    result = []
    day = first
    while day <= final:
        if day in reasons:
            result.append(Day(day, [], reasons[day]))
        else:
            capacity = slots.day_capacity(day, intervals, grid_minutes=calendar.grid_minutes)
            starts = slots.free_starts(
                capacity, booked, units=units, grid_minutes=calendar.grid_minutes, earliest=earliest
            )
            result.append(Day(day, starts))
        day += timedelta(days=1)
    return result


def next_free(calendar: Calendar, *, minutes: int, after: datetime, count: int = 5) -> list[datetime]:
    """The next ``count`` free start times from ``after`` on (offered when a time was just taken)."""
    found: list[datetime] = []
    for day in availability(calendar, minutes=minutes, first=timezone.localdate(after)):
        found.extend(start for start in day.starts if start >= after)
        if len(found) >= count:
            break
    return found[:count]


def unit_capacity(calendar: Calendar, start: datetime) -> int:
    """Capacity of the grid unit beginning at ``start`` (0: not staffed, or the day is closed)."""
    day = start.astimezone(slots.BERLIN).date()
    if closed_reasons(calendar, day, day):
        return 0
    capacity = slots.day_capacity(day, calendar_intervals(calendar), grid_minutes=calendar.grid_minutes)
    return capacity.get(start.astimezone(UTC), 0)


def bookings_of_day(calendar: Calendar, day: date) -> QuerySet[Booking]:
    """Appointments and walk-ins of ``day``, in order of time, for the counter view."""
    start = slots.local_instant(day, time(0))
    end = slots.local_instant(day + timedelta(days=1), time(0))
    return (
        Booking.objects.filter(calendar=calendar)
        .exclude(status__in=[Booking.Status.RESERVED, Booking.Status.EXPIRED, Booking.Status.CANCELLED])
        .filter(start__gte=start, start__lt=end)
        .union(Booking.objects.filter(calendar=calendar, walk_in=True, ticket_day=day))
        .order_by("start")
    )
