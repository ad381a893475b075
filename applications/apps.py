from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Online applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications.payments import register
        from applications.payments.providers import OnSiteProvider, TestProvider

        register(OnSiteProvider())
        register(TestProvider())
