from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Portal pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms import cache_signals

        cache_signals.connect()

        from cms import hooks_tenants, legal
        from tenants import hooks

        hooks.register_portal_setup("cms", hooks_tenants.portal_setup, order=10)
        hooks.register_template_setup("cms", hooks_tenants.template_setup, order=10)
        hooks.register_go_live_check("cms", legal.go_live_missing)
