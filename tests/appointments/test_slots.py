"""Slot arithmetic: clock changes, overlapping staffing, appointments of several units."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from appointments import slots
from appointments.slots import Interval

SPRING = date(2026, 3, 29)  # clocks go from 02:00 to 03:00
AUTUMN = date(2026, 10, 25)  # clocks go from 03:00 back to 02:00
NIGHT = Interval(6, time(0), time(4), 1)  # a Sunday night shift across the change


def test_spring_forward_day_has_an_hour_less_and_never_offers_a_missing_time() -> None:
    units = slots.day_capacity(SPRING, [NIGHT], grid_minutes=30)
    assert len(units) == 6  # 00:00–04:00 wall clock are three real hours
    walls = [u.astimezone(slots.BERLIN).strftime("%H:%M") for u in sorted(units)]
    assert walls == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30"]


def test_autumn_back_day_has_an_hour_more_and_shows_the_double_hour_twice() -> None:
    units = slots.day_capacity(AUTUMN, [NIGHT], grid_minutes=30)
    assert len(units) == 10
    walls = [u.astimezone(slots.BERLIN).strftime("%H:%M%z") for u in sorted(units)]
    assert walls.count("02:00+0200") == 1 and walls.count("02:00+0100") == 1


def test_office_hours_on_the_change_day_map_to_the_right_utc_instants() -> None:
    sunday = Interval(6, time(9), time(10), 2)
    assert sorted(slots.day_capacity(SPRING, [sunday], grid_minutes=30)) == [
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 7, 30, tzinfo=UTC),
    ]
    assert min(slots.day_capacity(AUTUMN, [sunday], grid_minutes=30)) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_a_wall_time_in_the_gap_means_the_end_of_the_gap() -> None:
    assert slots.local_instant(SPRING, time(2, 30)) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_counters_add_up_and_a_long_appointment_needs_every_unit_free() -> None:
    monday = date(2026, 6, 1)
    intervals = [Interval(0, time(8), time(9), 1, "1"), Interval(0, time(8, 30), time(9), 1, "2")]
    capacity = slots.day_capacity(monday, intervals, grid_minutes=15)
    assert [capacity[u] for u in sorted(capacity)] == [1, 1, 2, 2]
    eight = slots.local_instant(monday, time(8))
    quarter_past = slots.local_instant(monday, time(8, 15))
    booked = {quarter_past: 1}
    single = slots.free_starts(capacity, booked, units=1, grid_minutes=15, earliest=eight)
    double = slots.free_starts(capacity, booked, units=2, grid_minutes=15, earliest=eight)
    assert [s.astimezone(slots.BERLIN).strftime("%H:%M") for s in single] == ["08:00", "08:30", "08:45"]
    assert [s.astimezone(slots.BERLIN).strftime("%H:%M") for s in double] == ["08:30"]  # 08:45 runs past 09:00
    assert slots.free_starts(capacity, booked, units=1, grid_minutes=15, earliest=quarter_past)[0] > quarter_past


def test_overlaps_and_invalid_rows_are_named() -> None:
    rows = [
        Interval(0, time(8), time(12), 1, "Schalter 1"),
        Interval(0, time(11), time(14), 1, "Schalter 1"),
        Interval(0, time(11), time(14), 1, "Schalter 2"),  # another counter may overlap
        Interval(1, time(9, 7), time(10), 1, "Schalter 1"),
        Interval(2, time(10), time(9), 1, "Schalter 1"),
    ]
    found = [str(c) for c in slots.conflicts(rows, grid_minutes=15)]
    assert len(found) == 3
    assert any("Schalter 1: Mo 08:00–12:00 / Schalter 1: Mo 11:00–14:00" in text for text in found)
    assert any("Di 09:07–10:00" in text for text in found)
    assert any("Mi 10:00–09:00" in text for text in found)


def test_staffing_outside_opening_hours_is_a_conflict() -> None:
    opening = [Interval(0, time(8), time(12), 0)]
    assert slots.outside([Interval(0, time(8), time(12), 1)], opening) == []
    assert len(slots.outside([Interval(0, time(11), time(13), 1)], opening)) == 1


def test_units_and_tickets() -> None:
    assert slots.units_for(20, 15) == 2 and slots.units_for(15, 15) == 1 and slots.units_for(1, 15) == 1
    assert slots.ticket_label("A", 42) == "A-042" and slots.ticket_label("W", 1042) == "W-1042"
