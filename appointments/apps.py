from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from appointments.account_section import SECTION
        from citizens.registry import register_account_section

        register_account_section(SECTION)
