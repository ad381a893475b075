"""Opening status from a weekly pattern, date exceptions and the federal state's public holidays.

Pure functions over plain data, shared by a municipality's offices and the district offices. Every
instant is compared in UTC: Python compares two datetimes of the same ``tzinfo`` by wall time and
would get a night with a DST change wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

BERLIN = ZoneInfo("Europe/Berlin")
# How far ahead "opens at …" looks (a closure over the holidays can last weeks).
LOOKAHEAD_DAYS = 60

# The AGS state code (tenants.models.FederalState) → ISO 3166-2 subdivision of the holidays package.
STATE_SUBDIVISIONS: Mapping[str, str] = {
    "01": "SH", "02": "HH", "03": "NI", "04": "HB", "05": "NW", "06": "HE", "07": "RP", "08": "BW",
    "09": "BY", "10": "SL", "11": "BE", "12": "BB", "13": "MV", "14": "SN", "15": "ST", "16": "TH",
}  # fmt: skip


@dataclass(frozen=True)
class Interval:
    """Open on ``weekday`` (0 = Monday) from ``opens`` to ``closes``; ``closes`` ≤ ``opens`` runs past midnight."""

    weekday: int
    opens: time
    closes: time
    appointment_only: bool = False


@dataclass(frozen=True)
class DateException:
    """From ``first`` to ``last`` (inclusive): closed, or open only ``opens``–``closes`` on each day."""

    first: date
    last: date
    reason: str = ""
    opens: time | None = None
    closes: time | None = None

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Schedule:
    intervals: tuple[Interval, ...]
    exceptions: tuple[DateException, ...] = ()
    state: str = ""  # AGS state code; empty: no public holidays
    closed_on_holidays: bool = True


@dataclass(frozen=True)
class Period:
    """One concrete opening, as instants in UTC."""

    start: datetime
    end: datetime
    appointment_only: bool = False

    def local_start(self) -> datetime:
        return self.start.astimezone(BERLIN)

    def local_end(self) -> datetime:
        return self.end.astimezone(BERLIN)


@dataclass(frozen=True)
class OpeningStatus:
    """Whether an office is open at an instant, until when, and when it opens next."""

    open_now: bool
    current: Period | None = None
    next_opening: Period | None = None
    closed_reason: str = ""  # holiday name or the exception's reason, when that closes today
    has_hours: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)


@lru_cache(maxsize=64)
def _holiday_calendar(state: str, year: int) -> Mapping[date, str]:
    subdivision = STATE_SUBDIVISIONS.get(state)
    if subdivision is None:
        return {}
    return dict(holidays.Germany(subdiv=subdivision, years=year, language="de").items())


def holiday_name(state: str, day: date) -> str:
    """The public holiday's German name on ``day`` in the state, or ``""``."""
    return _holiday_calendar(state, day.year).get(day, "") if state else ""


def _instant(day: date, at: time) -> datetime:
    """The UTC instant of a Berlin wall-clock time; a time skipped by DST moves forward by the gap."""
    return datetime.combine(day, at, tzinfo=BERLIN).astimezone(UTC)


def _day_closure(schedule: Schedule, day: date) -> tuple[DateException | None, str]:
    exception = next((item for item in schedule.exceptions if item.covers(day)), None)
    if exception is not None:
        return exception, exception.reason
    if schedule.closed_on_holidays:
        name = holiday_name(schedule.state, day)
        if name:
            return None, name
    return None, ""


def periods_starting_on(schedule: Schedule, day: date) -> list[Period]:
    """The openings that begin on ``day`` (one running past midnight ends the next day)."""
    exception, reason = _day_closure(schedule, day)
    if exception is not None:
        if exception.opens is None or exception.closes is None:
            return []
        spans = [(exception.opens, exception.closes, False)]
    elif reason:
        return []
    else:
        spans = [(i.opens, i.closes, i.appointment_only) for i in schedule.intervals if i.weekday == day.weekday()]
    periods = []
    for opens, closes, appointment_only in sorted(spans):
        end_day = day + timedelta(days=1) if closes <= opens else day
        periods.append(Period(_instant(day, opens), _instant(end_day, closes), appointment_only))
    return periods


def opening_status(schedule: Schedule, moment: datetime) -> OpeningStatus:
    """The status at ``moment`` (an aware datetime), with the next opening when closed or after this one."""
    now = moment.astimezone(UTC)
    today = moment.astimezone(BERLIN).date()
    if not schedule.intervals and not any(e.opens for e in schedule.exceptions):
        return OpeningStatus(open_now=False, has_hours=False)
    _exception, reason = _day_closure(schedule, today)
    current: Period | None = None
    upcoming: Period | None = None
    for offset in range(-1, LOOKAHEAD_DAYS):
        for period in periods_starting_on(schedule, today + timedelta(days=offset)):
            if period.start <= now < period.end and current is None:
                current = period
            elif period.start > now and upcoming is None:
                upcoming = period
        if upcoming is not None and offset >= 0:
            break
    if current is not None:
        return OpeningStatus(open_now=True, current=current, next_opening=upcoming)
    return OpeningStatus(open_now=False, next_opening=upcoming, closed_reason=reason)


def week_rows(intervals: Iterable[Interval]) -> list[tuple[int, list[Interval]]]:
    """Monday to Sunday with each day's intervals in order (empty list: closed)."""
    by_day: dict[int, list[Interval]] = {day: [] for day in range(7)}
    for interval in intervals:
        by_day[interval.weekday].append(interval)
    return [(day, sorted(by_day[day], key=lambda i: i.opens)) for day in range(7)]


def overlaps(intervals: Iterable[Interval]) -> list[tuple[Interval, Interval]]:
    """Pairs of intervals that share time in the week (those past midnight included)."""
    week = 7 * 24 * 60

    def spans(interval: Interval) -> list[tuple[int, int]]:
        start = interval.weekday * 24 * 60 + interval.opens.hour * 60 + interval.opens.minute
        length = (interval.closes.hour * 60 + interval.closes.minute) - (
            interval.opens.hour * 60 + interval.opens.minute
        )
        if length <= 0:
            length += 24 * 60
        end = start + length
        # Sunday night into Monday wraps around the week.
        return [(start, min(end, week))] + ([(0, end - week)] if end > week else [])

    found = []
    items = list(intervals)
    for index, first in enumerate(items):
        for second in items[index + 1 :]:
            if any(a < d and c < b for a, b in spans(first) for c, d in spans(second)):
                found.append((first, second))
    return found
