from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "amtsplatz.office"
    label = "office"
    verbose_name = _("Cooperation office")
    default_auto_field = "django.db.models.BigAutoField"
