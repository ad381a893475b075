"""The "Our services" section of a municipality's /cms/: adopt and override shared services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet

from services_catalog.local.forms import LocalServiceForm
from services_catalog.local.models import LocalService


class OfferedVersionColumn(Column):
    """Which version is offered, and whether the catalogue has a newer one."""

    def get_value(self, instance: LocalService) -> str:
        offered = instance.offered_version
        latest = instance.definition.latest_version
        if offered is None or latest is None:
            return ""
        if offered.number < latest.number:
            return str(
                _("v%(offered)s – version %(latest)s is available")
                % {"offered": offered.number, "latest": latest.number}
            )
        return f"v{offered.number}"


class LocalServiceViewSet(ModelViewSet):
    model = LocalService
    icon = "list-ul"
    menu_label = _("Our services")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    search_fields = ["office_name", "local_note_de"]
    list_display = [
        Column("definition", label=_("Service"), accessor="definition"),
        OfferedVersionColumn("version", label=_("Version")),
        BooleanColumn("enabled", label=_("offered")),
        BooleanColumn("online_available", label=_("apply online")),
        Column("fee_amount", label=_("local fee (EUR)")),
        Column("office_name", label=_("responsible office")),
    ]
    list_filter = ["enabled", "online_available"]

    def get_form_class(self, for_update: bool = False) -> type[LocalServiceForm]:
        return LocalServiceForm

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return LocalService.objects.select_related("definition", "definition__latest_version", "pinned_version")


local_service_viewset = LocalServiceViewSet("local_services")
