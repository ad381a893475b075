"""Appointments in the municipality's /cms/: a menu entry to the counter views for staff who work them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from appointments.staff_views import PERMISSION


class CounterMenuItem(MenuItem):
    """Shown only to staff allowed to work appointments."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(PERMISSION))


@hooks.register("register_admin_menu_item")
def counter_menu_item() -> Any:
    return CounterMenuItem(_("Appointments"), reverse("appointments:counter"), icon_name="date", order=170)
