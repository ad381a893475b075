"""Writes of the cooperation office on districts and their offices (public schema)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from offices import hours
from offices.districts.models import DistrictOffice
from offices.validation import schedule_problems


def _kept(formset: Any) -> list[dict[str, Any]]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


@transaction.atomic
def district_office_save(*, form: Any, intervals: Any, exceptions: Any) -> DistrictOffice:
    """Save a validated office form and its hour formsets together, or nothing (contradicting hours refused)."""
    planned = [
        hours.Interval(data["weekday"], data["opens"], data["closes"], data.get("appointment_only", False))
        for data in _kept(intervals)
    ]
    exceptional = [
        hours.DateException(data["first"], data["last"], "", data.get("opens"), data.get("closes"))
        for data in _kept(exceptions)
    ]
    problems = schedule_problems(planned, exceptional)
    if problems:
        raise ValidationError(problems)
    office: DistrictOffice = form.save()
    intervals.instance = office
    intervals.save()
    exceptions.instance = office
    exceptions.save()
    return office
