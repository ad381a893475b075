"""The /cms/ forms of calendars and counters: contradictory staffing is refused with a message naming the conflict."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from appointments import selectors, slots
from appointments.models import Booking, Calendar, Staffing
from services_catalog.local.selectors import adopted_services, with_versions


def _kept(formset: Any) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


def service_choices() -> list[tuple[str, str]]:
    """The services this municipality adopted, by catalogue key (for a local appointment length)."""
    return [
        (local.definition.key, local.offered_version.name() if local.offered_version else local.definition.key)
        for local in with_versions(list(adopted_services()))
    ]


class CalendarForm(WagtailAdminModelForm):
    """A changed slot grid must fit every counter's staffing; it cannot change under booked appointments."""

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        keys = [data["service_key"] for data in _kept(self.formsets["durations"])]
        offered = dict(service_choices())
        for key in {key for key in keys if key not in offered}:
            self.add_error(None, _("%(key)s is not a service of this municipality.") % {"key": key})
        for key in {key for key in keys if keys.count(key) > 1}:
            self.add_error(None, _("The service %(key)s has two lengths: keep one.") % {"key": key})
        grid = self.cleaned_data["grid_minutes"]
        if self.instance.pk and grid != Calendar.objects.get(pk=self.instance.pk).grid_minutes:
            staffing = [s.interval() for s in Staffing.objects.filter(counter__calendar=self.instance)]
            for conflict in slots.conflicts(staffing, grid_minutes=grid):
                self.add_error(None, str(conflict))
            ahead = self.instance.bookings.filter(
                start__gte=timezone.now(), status__in=[Booking.Status.RESERVED, Booking.Status.CONFIRMED]
            )
            if ahead.exists():
                self.add_error(
                    "grid_minutes",
                    _("The slot grid cannot change while appointments are booked ahead: keep it, or change it later."),
                )
        return not self.errors


class CounterForm(WagtailAdminModelForm):
    """Staffing rows that overlap, lie off the grid or outside the office's hours, or strand bookings: refused."""

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        calendar: Calendar = self.cleaned_data["calendar"]
        name = self.cleaned_data["name"]
        wanted = [
            slots.Interval(data["weekday"], data["start"], data["end"], data["capacity"], label=name)
            for data in _kept(self.formsets["staffing"])
            if data.get("weekday") is not None and data.get("start") and data.get("end") and data.get("capacity")
        ]
        for problem in selectors.staffing_problems(calendar, counter_pk=self.instance.pk, wanted=wanted):
            self.add_error(None, problem)
        if self.instance.pk and self.instance.calendar_id != calendar.pk:
            self.add_error(
                "calendar", _("A counter stays at its office: add a new counter at the other office instead.")
            )
        return not self.errors
