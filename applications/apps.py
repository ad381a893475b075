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
        from applications.payments.contrib.stripe import checkout  # noqa: F401  (its Stripe event handler)
        from applications.payments.contrib.stripe.provider import StripeProvider

        register(StripeProvider())

        from applications.personal_data import HANDLER
        from citizens.registry import register as register_personal_data

        register_personal_data(HANDLER)
        from applications.account_section import SECTION
        from citizens.registry import register_account_section

        register_account_section(SECTION)

        from applications.registers import register_adapters

        register_adapters()

        from applications.models import ServiceDesk
        from applications.service_cache import adoptions
        from services_catalog.local.models import LocalService
        from services_catalog.models import ServiceDefinition
        from tenants.models import Municipality

        adoptions.forget_on_change(LocalService, ServiceDesk, ServiceDefinition, Municipality)
