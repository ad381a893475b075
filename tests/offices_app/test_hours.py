"""Opening status across midnight, public holidays of the federal state, closures and DST (Europe/Berlin)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.utils import translation

from offices.hours import DateException, Interval, Schedule, opening_status
from offices.presentation import status_line
from offices.validation import schedule_problems

WEEKDAYS_8_TO_16 = tuple(Interval(day, time(8), time(16)) for day in range(5))
SAXONY, THURINGIA = "14", "16"


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_open_until_closing_time() -> None:
    status = opening_status(Schedule(WEEKDAYS_8_TO_16, state=SAXONY), utc(2026, 12, 1, 10, 0))  # Tue 11:00 CET
    assert status.open_now
    assert status.current is not None and status.current.end == utc(2026, 12, 1, 15, 0)
    with translation.override("en"):
        assert status_line(status, utc(2026, 12, 1, 10, 0)) == "Open now until 16:00"


def test_night_opening_runs_past_midnight() -> None:
    schedule = Schedule((Interval(4, time(22), time(2)),))  # Friday 22:00 – Saturday 02:00
    saturday_1am = utc(2026, 12, 5, 0, 0)  # Sat 01:00 CET
    status = opening_status(schedule, saturday_1am)
    assert status.open_now and status.current is not None
    assert status.current.end == utc(2026, 12, 5, 1, 0)
    after = opening_status(schedule, utc(2026, 12, 5, 1, 30))  # Sat 02:30 CET
    assert not after.open_now
    assert after.next_opening is not None and after.next_opening.start == utc(2026, 12, 11, 21, 0)


def test_buss_und_bettag_closes_saxony_but_not_thuringia() -> None:
    wednesday_10am = utc(2026, 11, 18, 9, 0)  # Buß- und Bettag, a public holiday only in Saxony
    in_wurzen = opening_status(Schedule(WEEKDAYS_8_TO_16, state=SAXONY), wednesday_10am)
    in_gera = opening_status(Schedule(WEEKDAYS_8_TO_16, state=THURINGIA), wednesday_10am)
    assert in_gera.open_now
    assert not in_wurzen.open_now
    assert in_wurzen.closed_reason == "Buß- und Bettag"
    assert in_wurzen.next_opening is not None and in_wurzen.next_opening.start == utc(2026, 11, 19, 7, 0)
    with translation.override("en"):
        assert status_line(in_wurzen, wednesday_10am) == "Closed today (Buß- und Bettag) · opens tomorrow at 08:00"


def test_office_that_works_on_holidays_stays_open() -> None:
    schedule = Schedule(WEEKDAYS_8_TO_16, state=SAXONY, closed_on_holidays=False)
    assert opening_status(schedule, utc(2026, 11, 18, 9, 0)).open_now


def test_spring_dst_change_next_opening_is_at_local_eight() -> None:
    # Sunday 29 March 2026, clocks go 02:00 CET → 03:00 CEST. Monday 08:00 local is 06:00 UTC, not 07:00.
    status = opening_status(Schedule(WEEKDAYS_8_TO_16), utc(2026, 3, 29, 0, 30))
    assert status.next_opening is not None
    assert status.next_opening.start == utc(2026, 3, 30, 6, 0)
    assert status.next_opening.local_start().hour == 8


def test_night_opening_across_the_spring_dst_change_is_one_hour_shorter() -> None:
    schedule = Schedule((Interval(5, time(22), time(4)),))  # Saturday 22:00 – Sunday 04:00
    status = opening_status(schedule, utc(2026, 3, 29, 1, 30))  # 03:30 CEST
    assert status.open_now and status.current is not None
    assert status.current.start == utc(2026, 3, 28, 21, 0)
    assert status.current.end == utc(2026, 3, 29, 2, 0)  # 04:00 CEST
    assert (status.current.end - status.current.start).total_seconds() == 5 * 3600
    assert not opening_status(schedule, utc(2026, 3, 29, 2, 0)).open_now


def test_autumn_dst_change_keeps_local_hours() -> None:
    # Sunday 25 October 2026, 03:00 CEST → 02:00 CET: Monday opens at 08:00 CET = 07:00 UTC.
    before = opening_status(Schedule(WEEKDAYS_8_TO_16), utc(2026, 10, 23, 13, 0))  # Fri 15:00 CEST
    assert before.open_now and before.current is not None and before.current.end == utc(2026, 10, 23, 14, 0)
    assert before.next_opening is not None and before.next_opening.start == utc(2026, 10, 26, 7, 0)


def test_closure_and_special_hours_replace_the_week() -> None:
    schedule = Schedule(
        WEEKDAYS_8_TO_16,
        (
            DateException(date(2026, 12, 24), date(2026, 12, 31), "Zwischen den Jahren"),
            DateException(date(2027, 1, 4), date(2027, 1, 4), "Inventur", time(10), time(12)),
        ),
        state=SAXONY,
    )
    closed = opening_status(schedule, utc(2026, 12, 28, 9, 0))
    assert not closed.open_now and closed.closed_reason == "Zwischen den Jahren"
    # New Year's Day is a holiday, the 2nd and 3rd a weekend; the 4th opens late.
    assert closed.next_opening is not None and closed.next_opening.start == utc(2027, 1, 4, 9, 0)


def test_appointment_only_interval_is_reported() -> None:
    schedule = Schedule((Interval(5, time(9), time(12), appointment_only=True),))
    status = opening_status(schedule, utc(2026, 12, 5, 9, 0))  # Sat 10:00
    assert status.open_now and status.current is not None and status.current.appointment_only
    with translation.override("de"):
        assert status_line(status, utc(2026, 12, 5, 9, 0)) == "Jetzt geöffnet nur mit Termin, bis 12:00"


def test_no_hours_means_no_status_line() -> None:
    status = opening_status(Schedule(()), utc(2026, 12, 1, 10, 0))
    assert not status.has_hours and status_line(status) == ""


def test_overlapping_intervals_are_named() -> None:
    with translation.override("en"):
        problems = schedule_problems([Interval(0, time(8), time(12)), Interval(0, time(11), time(14))], [])
    assert problems == [
        "Monday 08:00–12:00 overlaps Monday 11:00–14:00: merge them into one opening or change the times."
    ]


def test_sunday_night_opening_overlapping_monday_morning_is_found() -> None:
    problems = schedule_problems([Interval(6, time(22), time(2)), Interval(0, time(1), time(3))], [])
    assert len(problems) == 1


def test_back_to_back_intervals_are_fine() -> None:
    assert schedule_problems([Interval(1, time(9), time(12)), Interval(1, time(12), time(18))], []) == []


def test_contradicting_exceptions_are_refused() -> None:
    with translation.override("en"):
        problems = schedule_problems(
            [],
            [
                DateException(date(2026, 12, 24), date(2026, 12, 31)),
                DateException(date(2026, 12, 30), date(2027, 1, 2), "", time(9), time(12)),
                DateException(date(2027, 2, 5), date(2027, 2, 1)),
                DateException(date(2027, 3, 1), date(2027, 3, 1), "", time(9), None),
            ],
        )
    assert any("cover the same days" in problem for problem in problems)
    assert any("ends before it begins" in problem for problem in problems)
    assert any("needs both an opening and a closing time" in problem for problem in problems)
