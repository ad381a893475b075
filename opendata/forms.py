"""Forms of the open data editors in /cms/."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opendata.models import FORMAT_CHOICES, Dataset


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class DatasetForm(forms.ModelForm):
    keywords_text = forms.CharField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas, e.g. Bäume, Umwelt, Stadtgrün.")
    )
    series_text = forms.CharField(
        label=_("Values of the live series"),
        required=False,
        help_text=_(
            "Only for live time series: the names of the numbers each observation carries, separated by commas."
        ),
    )

    class Meta:
        model = Dataset
        fields = [
            "title", "slug", "description", "theme", "licence", "attribution", "publisher_name", "contact_name",
            "contact_email", "temporal_start", "temporal_end", "geonames_url", "frequency", "is_timeseries",
            "is_published",
        ]  # fmt: skip
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}),
            "temporal_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keywords_text"].initial = ", ".join(self.instance.keywords or [])
        self.fields["series_text"].initial = ", ".join(self.instance.series_fields or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.instance.keywords = _split(cleaned.get("keywords_text", ""))
        self.instance.series_fields = _split(cleaned.get("series_text", ""))
        if cleaned.get("is_timeseries") and not self.instance.series_fields:
            self.add_error("series_text", _("Name at least one value of the live series."))
        return cleaned


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Empty: the file name."))
    file = forms.FileField(label=_("File (CSV, JSON, GeoJSON or XLSX)"))


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version of the file"))


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    url = forms.URLField(label=_("Address of the file or API"), assume_scheme="https")
