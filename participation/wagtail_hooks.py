"""Participation in the municipality's /cms/: a "Participation" menu with the staff views and the settings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from participation import staff_views
from participation.models import FundingProgramme, ReportCategory, Space, Topic
from participation.selectors import may, waiting_counts

MENU_HOOK = "register_participation_menu_item"

admin_urls = (
    [
        path("moderation/", staff_views.queue, name="queue"),
        path("moderation/<slug:kind>/<int:pk>/", staff_views.item, name="item"),
        path("moderation/<slug:kind>/<int:pk>/aktion/", staff_views.moderate, name="moderate"),
        path("teilnehmende/", staff_views.participants, name="participants"),
        path("teilnehmende/<int:pk>/sperren/", staff_views.block, name="block"),
        path("protokoll/", staff_views.log, name="log"),
        path("meldungen/", staff_views.reports, name="reports"),
        path("meldungen/<int:pk>/", staff_views.report, name="report"),
        path("meldungen/<int:pk>/aktion/", staff_views.report_act, name="report-act"),
        path("ideen/", staff_views.ideas, name="ideas"),
        path("ideen/<int:pk>/", staff_views.idea, name="idea"),
        path("verfahren/", staff_views.consultations, name="consultations"),
        path("verfahren/<int:pk>/", staff_views.consultation, name="consultation"),
    ],
    "participation_admin",
)


@hooks.register("register_admin_urls")
def register_participation_urls() -> list[Any]:
    return [path("beteiligung/", include(admin_urls))]


class PermissionMenuItem(MenuItem):
    """A menu entry shown only to staff with one participation permission."""

    def __init__(self, label: Any, url: str, permission: str, **kwargs: Any) -> None:
        super().__init__(label, url, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return may(request.user, self.permission)


@hooks.register(MENU_HOOK)
def moderation_menu_item() -> MenuItem:
    return PermissionMenuItem(_("Moderation queue"), reverse("participation_admin:queue"), "moderate", order=10)


@hooks.register(MENU_HOOK)
def reports_menu_item() -> MenuItem:
    return PermissionMenuItem(_("Defect reports"), reverse("participation_admin:reports"), "work_reports", order=20)


@hooks.register(MENU_HOOK)
def ideas_menu_item() -> MenuItem:
    return PermissionMenuItem(_("Answer ideas"), reverse("participation_admin:ideas"), "manage_participation", order=30)


@hooks.register(MENU_HOOK)
def consultations_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Close consultations"), reverse("participation_admin:consultations"), "manage_participation", order=40
    )


@hooks.register(MENU_HOOK)
def participants_menu_item() -> MenuItem:
    return PermissionMenuItem(_("Participants"), reverse("participation_admin:participants"), "moderate", order=50)


@hooks.register(MENU_HOOK)
def log_menu_item() -> MenuItem:
    return PermissionMenuItem(_("Moderation log"), reverse("participation_admin:log"), "moderate", order=60)


@hooks.register("register_admin_menu_item")
def participation_menu() -> MenuItem:
    return SubmenuMenuItem(_("Participation"), Menu(register_hook_name=MENU_HOOK), icon_name="group", order=160)


class SpaceViewSet(ModelViewSet):
    model = Space
    icon = "folder-open-inverse"
    menu_label = _("Spaces and consultations")
    menu_order = 100
    add_to_admin_menu = True
    menu_hook = MENU_HOOK
    copy_view_enabled = False
    form_fields = ["kind", "title", "slug", "intro", "premoderation", "is_open", "deadline", "documents"]
    list_display = [
        Column("title", label=_("title")),
        Column("kind", label=_("kind"), accessor="get_kind_display"),
        Column("premoderation", label=_("pre-moderation")),
        Column("is_open", label=_("open for contributions")),
    ]


class ReportCategoryViewSet(ModelViewSet):
    model = ReportCategory
    icon = "warning"
    menu_label = _("Defect categories")
    menu_order = 110
    add_to_admin_menu = True
    menu_hook = MENU_HOOK
    copy_view_enabled = False
    form_fields = ["name_de", "name_en", "slug", "office_name", "office_email", "is_active", "sort_order"]
    list_display = [
        Column("name_de", label=_("name (German)")),
        Column("office_name", label=_("responsible office")),
        Column("office_email", label=_("office e-mail")),
        Column("is_active", label=_("offered")),
    ]


class TopicViewSet(ModelViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Idea categories")
    menu_order = 120
    add_to_admin_menu = True
    menu_hook = MENU_HOOK
    copy_view_enabled = False
    form_fields = ["name_de", "name_en", "sort_order"]
    list_display = [Column("name_de", label=_("name (German)")), Column("name_en", label=_("name (English)"))]


class FundingProgrammeViewSet(ModelViewSet):
    model = FundingProgramme
    icon = "doc-full"
    menu_label = _("Funding programmes")
    menu_order = 130
    add_to_admin_menu = True
    menu_hook = MENU_HOOK
    copy_view_enabled = False
    form_fields = ["name", "funder", "intro", "max_amount", "include_goals", "include_milestones", "include_budget",
                   "include_tasks", "declaration", "is_active"]  # fmt: skip
    list_display = [Column("name", label=_("programme")), Column("funder", label=_("funding body"))]


@hooks.register("register_admin_viewset")
def register_participation_viewsets() -> list[ModelViewSet]:
    return [
        SpaceViewSet("participation_spaces"),
        ReportCategoryViewSet("participation_report_categories"),
        TopicViewSet("participation_topics"),
        FundingProgrammeViewSet("participation_funding_programmes"),
    ]


class WaitingPanel(Component):
    """The /cms/ dashboard: what waits for moderators and the office, with counts and links."""

    name = "participation_waiting"
    template_name = "participation/staff/waiting_panel.html"
    order = 60

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        user = self.request.user
        counts = waiting_counts()
        rows = []
        if may(user, "moderate"):
            rows.append((_("Waiting for moderation"), counts.moderation, reverse("participation_admin:queue")))
        if may(user, "work_reports"):
            url = reverse("participation_admin:reports") + "?status=published"
            rows.append((_("New defect reports nobody works on yet"), counts.reports_new, url))
        if may(user, "manage_participation"):
            rows.append((_("Ideas awaiting an answer"), counts.ideas_unanswered, reverse("participation_admin:ideas")))
        return {"rows": rows}


@hooks.register("construct_homepage_panels")
def add_waiting_panel(request: HttpRequest, panels: list[Component]) -> None:
    if any(may(request.user, permission) for permission in ("moderate", "work_reports", "manage_participation")):
        panels.append(WaitingPanel(request))
