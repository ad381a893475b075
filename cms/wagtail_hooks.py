"""Editors' area: reported barriers, the go-live checklist and choosing services in bulk."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms import admin_views
from cms.legal import go_live_checklist
from cms.models import AccessibilityFeedback


class AccessibilityFeedbackViewSet(SnippetViewSet):
    model = AccessibilityFeedback
    icon = "help"
    menu_label = _("Accessibility feedback")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["created_at", "message", "page_url", "email", "handled"]
    list_filter = ["handled"]
    search_fields = ["message", "page_url"]
    form_fields = ["handled", "message", "page_url", "name", "email"]


register_snippet(AccessibilityFeedbackViewSet)


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request: HttpRequest) -> dict[str, str]:
    """Account settings in /cms/: set up (or renew) the second factor and the recovery codes."""
    return {
        "url": reverse("mfa:enrol"),
        "label": str(_("Two-factor authentication")),
        "help_text": str(_("Set up an authenticator app; new recovery codes replace the old ones.")),
    }


@hooks.register("register_admin_urls")
def register_cms_urls() -> list[Any]:
    return [
        path("go-live/", admin_views.go_live, name="cms_go_live"),
        path("leistungen-auswahl/", admin_views.services_bulk, name="cms_services_bulk"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(self.permission))


@hooks.register("register_admin_menu_item")
def register_go_live_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Go-live checklist"),
        reverse("cms_go_live"),
        icon_name="tasks",
        order=240,
        permission=admin_views.LEGAL_DETAILS_PERMISSION,
    )


@hooks.register("register_admin_menu_item")
def register_services_bulk_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Choose services"),
        reverse("cms_services_bulk"),
        icon_name="list-ul",
        order=251,
        permission=admin_views.SERVICES_PERMISSION,
    )


class GoLivePanel(Component):
    """On the /cms/ dashboard: how many facts the go-live checklist still misses."""

    name = "go_live"
    template_name = "cms/admin/go_live_panel.html"
    order = 40

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        missing = [item for item in go_live_checklist() if item.blocking and not item.done]
        return {"missing": missing}


@hooks.register("construct_homepage_panels")
def add_go_live_panel(request: HttpRequest, panels: list[Component]) -> None:
    if request.user.has_perm(admin_views.LEGAL_DETAILS_PERMISSION):
        panels.append(GoLivePanel())
