"""Refuses opening hours that contradict themselves, naming the conflict (used by every edit path)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from offices import hours
from offices.base import Weekday


def describe_interval(interval: hours.Interval) -> str:
    return f"{Weekday(interval.weekday).label} {interval.opens:%H:%M}–{interval.closes:%H:%M}"


def _describe_exception(exception: hours.DateException) -> str:
    first = date_format(exception.first, "SHORT_DATE_FORMAT")
    last = date_format(exception.last, "SHORT_DATE_FORMAT")
    return first if first == last else f"{first}–{last}"


def schedule_problems(intervals: Sequence[hours.Interval], exceptions: Sequence[hours.DateException]) -> list[str]:
    """Every contradiction in a weekly pattern and its exceptions, as messages for the editor."""
    problems = []
    for interval in intervals:
        if interval.opens == interval.closes:
            problems.append(
                _("%(interval)s opens and closes at the same time; for a night opening give a closing time.")
                % {"interval": describe_interval(interval)}
            )
    for first, second in hours.overlaps([i for i in intervals if i.opens != i.closes]):
        problems.append(
            _("%(first)s overlaps %(second)s: merge them into one opening or change the times.")
            % {"first": describe_interval(first), "second": describe_interval(second)}
        )
    for exception in exceptions:
        if exception.last < exception.first:
            problems.append(
                _("The exception from %(first)s ends before it begins.")
                % {"first": date_format(exception.first, "SHORT_DATE_FORMAT")}
            )
        if (exception.opens is None) != (exception.closes is None):
            problems.append(
                _("The exception %(dates)s needs both an opening and a closing time, or neither (closed).")
                % {"dates": _describe_exception(exception)}
            )
        elif exception.opens is not None and exception.opens == exception.closes:
            problems.append(
                _("The exception %(dates)s opens and closes at the same time.")
                % {"dates": _describe_exception(exception)}
            )
    ordered = sorted(exceptions, key=lambda item: item.first)
    for index, earlier in enumerate(ordered):
        for later in ordered[index + 1 :]:
            if later.first <= earlier.last:
                problems.append(
                    _("The exceptions %(first)s and %(second)s cover the same days: say once what applies.")
                    % {"first": _describe_exception(earlier), "second": _describe_exception(later)}
                )
    return problems
