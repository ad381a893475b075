from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes and branding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenants import hooks
        from themes import hooks_tenants

        hooks.register_portal_setup("themes", hooks_tenants.portal_setup, order=20)
        hooks.register_maintenance_context("themes", hooks_tenants.maintenance_context)
