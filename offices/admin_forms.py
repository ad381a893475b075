"""The office form of /cms/: refuses opening hours that contradict themselves, naming the conflict."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from offices import hours
from offices.base import Language
from offices.validation import schedule_problems


def _kept(formset: Any) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


def schedule_of_formsets(formsets: dict[str, Any]) -> tuple[list[hours.Interval], list[hours.DateException]]:
    """The intervals and exceptions an edit would save, from its inline formsets."""
    intervals = [
        hours.Interval(data["weekday"], data["opens"], data["closes"], data.get("appointment_only", False))
        for data in _kept(formsets["opening_intervals"])
        if data.get("weekday") is not None and data.get("opens") and data.get("closes")
    ]
    exceptions = [
        hours.DateException(data["first"], data["last"], "", data.get("opens"), data.get("closes"))
        for data in _kept(formsets["opening_exceptions"])
        if data.get("first") and data.get("last")
    ]
    return intervals, exceptions


class OfficeForm(WagtailAdminModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            return False
        problems = schedule_problems(*schedule_of_formsets(self.formsets))
        for problem in problems:
            self.add_error(None, problem)
        return not problems
