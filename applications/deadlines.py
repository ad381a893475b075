"""When an application is due: its submission plus the processing time of the catalogue version it was filed under."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Any


def due_at(processing_time: dict[str, Any] | None, submitted_at: datetime | None) -> datetime | None:
    """``submitted_at`` plus ``{"duration": n, "unit": "days"|"weeks"|"months"|"years"}``; None without either."""
    if not submitted_at or not isinstance(processing_time, dict):
        return None
    amount = processing_time.get("duration")
    unit = processing_time.get("unit")
    if not isinstance(amount, int) or amount <= 0:
        return None
    if unit == "days":
        return submitted_at + timedelta(days=amount)
    if unit == "weeks":
        return submitted_at + timedelta(weeks=amount)
    if unit in ("months", "years"):
        return _months_later(submitted_at, amount if unit == "months" else 12 * amount)
    return None


def _months_later(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later, or that month's last day (31 January + 1 month = 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
