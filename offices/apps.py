from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    """A municipality's offices (tenant schema): hours, accessibility, services, area rules."""

    name = "offices"
    verbose_name = _("Offices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from amtsplatz.authority import register
        from offices.authority import authority_for

        register("offices", authority_for)
