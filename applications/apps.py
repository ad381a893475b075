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

        from applications.open_data import register_providers

        register_providers()

        from applications.models import ServiceDesk
        from applications.service_cache import adoptions
        from services_catalog.local.models import LocalService
        from services_catalog.models import ServiceDefinition
        from tenants.models import Municipality

        adoptions.forget_on_change(LocalService, ServiceDesk, ServiceDefinition, Municipality)
