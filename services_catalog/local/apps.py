from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalServicesConfig(AppConfig):
    """The tenant-side half of the catalogue: what a municipality adopted, with local details."""

    name = "services_catalog.local"
    label = "local_services"
    verbose_name = _("Our services")
    default_auto_field = "django.db.models.BigAutoField"
