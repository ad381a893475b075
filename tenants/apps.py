from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Municipalities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amtsplatz.infra.db_backend import recycling
        from tenants.host_cache import hosts
        from tenants.models import Domain, Municipality

        hosts.forget_on_change(Municipality, Domain)
        recycling.connect()
