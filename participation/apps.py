from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Citizen participation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from participation.open_data import register_providers

        register_providers()
        from citizens.registry import register
        from participation.personal_data import HANDLER

        register(HANDLER)
        from citizens.registry import register_account_section
        from participation.account_section import SECTIONS

        for section in SECTIONS:
            register_account_section(section)
