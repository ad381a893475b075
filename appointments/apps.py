from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from appointments import personal_data, signals
        from appointments.account_section import SECTION
        from appointments.selectors import office_facts
        from citizens.registry import register as register_personal_data
        from citizens.registry import register_account_section
        from tenants.hooks import register_office_facts

        register_office_facts("appointments", office_facts)
        register_personal_data(personal_data.HANDLER)
        register_account_section(SECTION)
        signals.connect()
