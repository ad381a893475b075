from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from billing import cms_views


@hooks.register("register_admin_urls")
def register_subscription_url() -> list[Any]:
    return [path("abonnement/", cms_views.subscription, name="billing_subscription")]


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@hooks.register("register_settings_menu_item")
def register_subscription_menu_item() -> MenuItem:
    return AdministratorsMenuItem(
        _("Subscription"), reverse("billing_subscription"), icon_name="doc-full-inverse", order=900
    )
