from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    """District offices (public schema), kept by the cooperation office once per Landkreis."""

    name = "offices.districts"
    label = "offices_districts"
    verbose_name = _("District offices")
    default_auto_field = "django.db.models.BigAutoField"
