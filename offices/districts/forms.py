"""Forms of the cooperation office for districts and district offices."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from offices.base import Language
from offices.districts.models import District, DistrictOffice, DistrictOpeningException, DistrictOpeningInterval
from services_catalog.models import ServiceDefinition


class DistrictForm(forms.ModelForm):
    class Meta:
        model = District
        fields = ["key", "name", "state"]


class DistrictOfficeForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    services = forms.ModelMultipleChoiceField(
        label=_("services handled here"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=ServiceDefinition.objects.filter(latest_version__isnull=False).order_by("name_de"),
    )  # fmt: skip

    class Meta:
        model = DistrictOffice
        fields = [
            "name", "slug", "kind", "street", "postcode", "city", "latitude", "longitude", "phone", "email",
            "contact_url", "step_free", "disabled_parking", "induction_loop", "accessibility_de", "accessibility_en",
            "languages", "closed_on_holidays", "services",
        ]  # fmt: skip


_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

IntervalFormSet = inlineformset_factory(
    DistrictOffice, DistrictOpeningInterval, fields=["weekday", "opens", "closes", "appointment_only"],
    widgets={"opens": _TIME, "closes": _TIME}, extra=3, can_delete=True,
)  # fmt: skip
ExceptionFormSet = inlineformset_factory(
    DistrictOffice, DistrictOpeningException, fields=["first", "last", "opens", "closes", "reason_de", "reason_en"],
    widgets={"first": _DATE, "last": _DATE, "opens": _TIME, "closes": _TIME}, extra=1, can_delete=True,
)  # fmt: skip
