"""Admin form for adopting a shared service and setting its local details."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from services_catalog.local.models import LocalService
from services_catalog.models import ServiceDefinition, ServiceVersion


class LocalServiceForm(WagtailAdminModelForm):
    """Only published services can be adopted; only versions of the chosen service can be pinned."""

    definition = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceDefinition.objects.filter(latest_version__isnull=False).order_by("name_de"),
    )

    class Meta:
        model = LocalService
        fields = [
            "definition", "pinned_version", "enabled", "online_available", "fee_amount", "office_name",
            "office_street", "office_postcode", "office_city", "office_phone", "office_email", "opening_hours",
            "local_note_de", "local_note_en",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = ServiceVersion.objects.select_related("definition").order_by("definition__name_de", "-number")
        if self.instance.pk:
            versions = versions.filter(definition_id=self.instance.definition_id)
            self.fields["definition"].disabled = True
        self.fields["pinned_version"].queryset = versions
        self.fields["pinned_version"].label_from_instance = version_label


def version_label(version: ServiceVersion) -> str:
    """What the version picker shows: the service, the version's number and the day it was published."""
    return _("%(service)s – version %(number)s of %(date)s") % {
        "service": version.definition.name_de,
        "number": version.number,
        "date": date_format(timezone.localtime(version.published_at).date(), "DATE_FORMAT"),
    }
