"""Open data in the municipality's /cms/: a menu entry and the editors' views under /cms/opendata/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from opendata import staff_views

admin_urls = (
    [
        path("", staff_views.datasets, name="datasets"),
        path("neu/", staff_views.dataset_edit, name="dataset-new"),
        path("<int:pk>/", staff_views.dataset_edit, name="dataset"),
        path("<int:pk>/datei/", staff_views.upload, name="upload"),
        path("<int:pk>/link/", staff_views.link, name="link"),
        path("<int:pk>/token/", staff_views.token, name="token"),
        path("<int:pk>/dateien/<int:distribution_pk>/version/", staff_views.new_version, name="version"),
    ],
    "opendata_admin",
)


@hooks.register("register_admin_urls")
def register_opendata_urls() -> list[Any]:
    return [path("opendata/", include(admin_urls))]


class OpendataMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(staff_views.PERMISSION))


@hooks.register("register_admin_menu_item")
def opendata_menu_item() -> MenuItem:
    return OpendataMenuItem(_("Open data"), reverse("opendata_admin:datasets"), icon_name="table", order=450)
