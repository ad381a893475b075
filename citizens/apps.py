from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Citizen accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from citizens import login_methods

        login_methods.discover()
