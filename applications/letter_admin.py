"""/cms/ → Settings: signatures of staff, text templates per service, parking zones, the Demo-Melderegister."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from applications.models import DemoResident, ParkingZone, ReasonTemplate, StaffProfile


class StaffProfileForm(WagtailAdminModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True, is_staff=True)


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = _("Signatures")
    add_to_settings_menu = True
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("display_name"), FieldRowPanel([FieldPanel("role"), FieldPanel("office")])],
        base_form_class=StaffProfileForm,
    )
    list_display = [
        Column("display_name", label=_("name as signed")),
        Column("role", label=_("role")),
        Column("office", label=_("office")),
    ]
    search_fields = ["display_name", "office"]


class ReasonTemplateViewSet(ModelViewSet):
    model = ReasonTemplate
    icon = "doc-full"
    menu_label = _("Text templates")
    add_to_settings_menu = True
    copy_view_enabled = True
    form_fields = ["service", "outcome", "title", "text"]
    list_display = [
        Column("title", label=_("title")),
        Column("service", label=_("service")),
        Column("outcome", label=_("used for")),
    ]
    list_filter = ["outcome"]
    search_fields = ["title", "text"]


class ParkingZoneViewSet(ModelViewSet):
    model = ParkingZone
    icon = "site"
    menu_label = _("Parking zones")
    add_to_settings_menu = True
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        InlinePanel("streets", heading=_("Streets and house numbers"), label=_("street")),
    ]
    list_display = [Column("code", label=_("zone")), Column("name", label=_("name"))]


class DemoResidentViewSet(ModelViewSet):
    model = DemoResident
    icon = "group"
    menu_label = _("Demo-Melderegister")
    add_to_settings_menu = True
    copy_view_enabled = False
    form_fields = [
        "given_names",
        "family_name",
        "birth_date",
        "street_and_number",
        "postcode",
        "city",
        "main_residence",
    ]
    list_display = [
        Column("family_name", label=_("family name")),
        Column("given_names", label=_("given names")),
        Column("street_and_number", label=_("street and number")),
        Column("main_residence", label=_("main residence")),
    ]
    search_fields = ["family_name", "given_names", "street_and_number"]


letter_viewsets = [
    StaffProfileViewSet("signatures"),
    ReasonTemplateViewSet("reason_templates"),
    ParkingZoneViewSet("parking_zones"),
    DemoResidentViewSet("demo_residents"),
]
