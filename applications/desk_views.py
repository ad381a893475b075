"""Settings → "Service desks" in a municipality's /cms/: who works a service, where it is handed over."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from applications.models import ServiceDesk


class ServiceDeskForm(forms.ModelForm):
    """The signing secret is never shown again; leaving it empty keeps the stored one."""

    handover_secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Shared with the back office to check the X-Amtsplatz-Signature header. Empty: keep it."),
    )

    class Meta:
        model = ServiceDesk
        fields = ["service", "groups", "handover_url", "handover_secret", "handover_on"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("handover_secret") and self.instance.pk:
            cleaned["handover_secret"] = self.instance.handover_secret
        if cleaned.get("handover_url") and len(cleaned.get("handover_secret") or "") < 16:
            self.add_error("handover_secret", _("A back-office endpoint needs a secret of at least 16 characters."))
        return cleaned


class ServiceDeskViewSet(ModelViewSet):
    model = ServiceDesk
    icon = "group"
    menu_label = _("Service desks")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = [
        Column("service", label=_("Service")),
        Column("handover_url", label=_("back-office endpoint")),
        Column("handover_on", label=_("hand over")),
    ]

    def get_form_class(self, for_update: bool = False) -> type[ServiceDeskForm]:
        return ServiceDeskForm


service_desk_viewset = ServiceDeskViewSet("service_desks")
