from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Municipalities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tenants.host_cache import hosts
        from tenants.models import Domain, Municipality

        for model in (Municipality, Domain):
            for signal in (post_save, post_delete):
                signal.connect(hosts.invalidate, sender=model, dispatch_uid=f"host-cache-{model.__name__}-{id(signal)}")
