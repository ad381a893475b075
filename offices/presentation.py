"""Wording of an opening status, the same on every page, card and answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from offices import hours
from offices.base import Weekday


def _when(start: datetime, now: datetime) -> str:
    local = start.astimezone(hours.BERLIN)
    today = now.astimezone(hours.BERLIN).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return _("opens at %(time)s") % {"time": clock}
    if local.date() == today + timedelta(days=1):
        return _("opens tomorrow at %(time)s") % {"time": clock}
    if local.date() < today + timedelta(days=7):
        return _("opens %(weekday)s at %(time)s") % {"weekday": Weekday(local.weekday()).label, "time": clock}
    return _("opens on %(date)s at %(time)s") % {"date": f"{local:%d.%m.%Y}", "time": clock}


def status_line(status: hours.OpeningStatus, now: datetime | None = None) -> str:
    """'Open now until 16:00', 'Closed today (Buß- und Bettag) · opens Thursday at 08:00', …"""
    moment = now or timezone.now()
    if not status.has_hours:
        return ""
    if status.open_now and status.current is not None:
        until = f"{status.current.local_end():%H:%M}"
        if status.current.appointment_only:
            return _("Open now by appointment only, until %(time)s") % {"time": until}
        return _("Open now until %(time)s") % {"time": until}
    if status.closed_reason:
        closed = _("Closed today (%(reason)s)") % {"reason": status.closed_reason}
    else:
        closed = _("Closed now")
    if status.next_opening is None:
        return _("%(closed)s · no opening hours in the coming weeks") % {"closed": closed}
    following = _when(status.next_opening.start, moment)
    if status.next_opening.appointment_only:
        following = _("%(opens)s (by appointment only)") % {"opens": following}
    return f"{closed} · {following}"
