from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from applications import staff_views
from applications.desk_views import service_desk_viewset
from applications.letter_admin import letter_viewsets
from applications.selectors import sees_all
from services_catalog.local.models import LocalService

admin_urls = (
    [
        path("", staff_views.inbox, name="inbox"),
        path("am-schalter/", staff_views.assisted, name="assisted"),
        path("<uuid:public_id>/", staff_views.detail, name="detail"),
        path("<uuid:public_id>/aktion/", staff_views.act, name="act"),
        path("<uuid:public_id>/bescheid.pdf", staff_views.decision_document, name="document"),
        path("<uuid:public_id>/bescheid-vorschau/", staff_views.decision_preview, name="preview"),
        path("<uuid:public_id>/dateien/<int:attachment_id>/", staff_views.attachment, name="attachment"),
    ],
    "applications_admin",
)


@hooks.register("register_admin_urls")
def register_inbox_urls() -> list[Any]:
    return [path("antraege/", include(admin_urls))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        user = request.user
        return sees_all(user) or LocalService.objects.filter(desk__groups__in=user.groups.all()).exists()


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item() -> MenuItem:
    return InboxMenuItem(_("Applications"), reverse("applications_admin:inbox"), icon_name="form", order=150)


@hooks.register("register_admin_viewset")
def register_service_desks() -> object:
    return service_desk_viewset


@hooks.register("register_admin_viewset")
def register_letter_settings() -> list[object]:
    return list(letter_viewsets)
