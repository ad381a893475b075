"""Slot arithmetic as pure functions: no database, no settings, no clock (the caller passes ``now``).

Times of day are wall-clock times of the office (Europe/Berlin); everything the database stores and
compares is an aware UTC instant. A day's capacity is laid out in UTC steps of the grid, so a day with a
clock change has one hour less (last Sunday of March) or more (last Sunday of October) of slots, exactly as
long as the counters are really staffed — and a wall-clock time that does not exist is never offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

BERLIN = ZoneInfo("Europe/Berlin")
GRID_CHOICES = (5, 10, 15, 20, 30, 60)  # divide an hour: clock changes keep the grid aligned
WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")  # short German labels, as on office signs


@dataclass(frozen=True)
class Interval:
    """A staffed stretch of one weekday (0 = Monday): ``capacity`` people serve at the same time."""

    weekday: int
    start: time
    end: time
    capacity: int
    label: str = ""

    def describe(self) -> str:
        who = f"{self.label}: " if self.label else ""
        return f"{who}{WEEKDAYS[self.weekday]} {self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class Conflict:
    """Two intervals that contradict each other, or one that is invalid on its own (``other`` is None)."""

    first: Interval
    other: Interval | None
    reason: str

    def __str__(self) -> str:
        if self.other is None:
            return f"{self.first.describe()}: {self.reason}"
        return f"{self.first.describe()} / {self.other.describe()}: {self.reason}"


def local_instant(day: date, at: time, tz: ZoneInfo = BERLIN) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day``; a time in the spring-forward gap gives the gap's end."""
    naive = datetime.combine(day, at)
    utc = naive.replace(tzinfo=tz).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) == naive:
        return utc
    # 02:30 on the last Sunday of March does not exist: the first minute after it is 03:00.
    utc = naive.replace(tzinfo=tz, fold=1).astimezone(UTC).replace(second=0, microsecond=0)
    while utc.astimezone(tz).replace(tzinfo=None) < naive:
        utc += timedelta(minutes=1)
    return utc


def conflicts(intervals: Iterable[Interval], *, grid_minutes: int) -> list[Conflict]:
    """Everything wrong with one counter's (or one calendar's) intervals: overlaps, empty or off-grid times.

    Intervals of the same label (the same counter) must not overlap: a counter cannot be staffed twice at
    once. Start and end must lie on the grid, or units of different counters would not line up.
    """
    found: list[Conflict] = []
    items = list(intervals)
    for item in items:
        if item.end <= item.start:
            found.append(Conflict(item, None, _("ends before it begins")))
        elif any((t.hour * 60 + t.minute) % grid_minutes or t.second for t in (item.start, item.end)):
            found.append(
                Conflict(item, None, _("times must lie on the %(minutes)s-minute grid") % {"minutes": grid_minutes})
            )
        if item.capacity < 1:
            found.append(Conflict(item, None, _("needs at least one member of staff")))
    for index, item in enumerate(items):
        for other in items[index + 1 :]:
            if (
                item.label == other.label
                and item.weekday == other.weekday
                and item.start < other.end
                and other.start < item.end
            ):
                found.append(Conflict(item, other, _("overlap")))
    return found


def outside(intervals: Iterable[Interval], opening: Iterable[Interval]) -> list[Conflict]:
    """Staffed intervals that are not within the opening hours of their weekday (a contradictory calendar)."""
    hours = list(opening)
    found = []
    for item in intervals:
        if not any(o.weekday == item.weekday and o.start <= item.start and item.end <= o.end for o in hours):
            found.append(Conflict(item, None, _("outside the opening hours")))
    return found


def day_capacity(
    day: date, intervals: Iterable[Interval], *, grid_minutes: int, tz: ZoneInfo = BERLIN
) -> dict[datetime, int]:
    """Capacity of every grid unit of ``day`` (UTC unit start → people serving), summed over counters."""
    step = timedelta(minutes=grid_minutes)
    units: dict[datetime, int] = {}
    for item in intervals:
        if item.weekday != day.weekday():
            continue
        unit, end = local_instant(day, item.start, tz), local_instant(day, item.end, tz)
        while unit + step <= end:
            units[unit] = units.get(unit, 0) + item.capacity
            unit += step
    return units


def free_starts(
    capacity: Mapping[datetime, int],
    booked: Mapping[datetime, int],
    *,
    units: int,
    grid_minutes: int,
    earliest: datetime,
) -> list[datetime]:
    """Start instants at which ``units`` consecutive grid units all have a free place, from ``earliest`` on."""
    step = timedelta(minutes=grid_minutes)
    free = {start for start, places in capacity.items() if booked.get(start, 0) < places}
    return sorted(
        start for start in free if start >= earliest and all(start + step * i in free for i in range(1, units))
    )


def utc_text(instant: datetime) -> str:
    """``instant`` in UTC as ISO 8601 ending in ``Z``, to the second (a fraction rounds up).

    Texts of whole-second instants sort as the instants do, so cached start times are compared with a
    bound without parsing them; it is also how JSON carries an instant.
    """
    utc = instant.astimezone(UTC)
    if utc.microsecond:
        utc = utc.replace(microsecond=0) + timedelta(seconds=1)
    return utc.replace(tzinfo=None).isoformat() + "Z"


def units_for(minutes: int, grid_minutes: int) -> int:
    """How many grid units an appointment of ``minutes`` occupies (at least one)."""
    return max(1, -(-minutes // grid_minutes))


def unit_starts(start: datetime, *, units: int, grid_minutes: int) -> list[datetime]:
    step = timedelta(minutes=grid_minutes)
    return [start + step * i for i in range(units)]


def ticket_label(prefix: str, number: int) -> str:
    """The number called in the waiting room: ``A-042`` (three digits, more when a day needs them)."""
    return f"{prefix}-{number:03d}"
