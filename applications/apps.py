from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
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
        self._forget_adoptions_on_change()

    @staticmethod
    def _forget_adoptions_on_change() -> None:
        from applications.models import ServiceDesk
        from applications.service_cache import adoptions
        from services_catalog.local.models import LocalService
        from services_catalog.models import ServiceDefinition
        from tenants.models import Municipality

        for model in (LocalService, ServiceDesk, ServiceDefinition, Municipality):
            for signal in (post_save, post_delete):
                uid = f"adoption-cache-{model.__name__}-{id(signal)}"
                signal.connect(adoptions.invalidate, sender=model, dispatch_uid=uid)
