from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    """A municipality's offices (tenant schema): hours, accessibility, services, area rules."""

    name = "offices"
    verbose_name = _("Offices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from amtsplatz.infra.authority import register
        from citizens.registry import register as register_personal_data
        from offices import personal_data
        from offices.authority import authority_for
        from offices.districts.models import (
            District,
            DistrictOffice,
            DistrictOpeningException,
            DistrictOpeningInterval,
        )
        from offices.models import AreaRule, Office, OpeningException, OpeningInterval
        from offices.selectors import resolutions
        from services_catalog.local.models import LocalService
        from services_catalog.models import ServiceDefinition
        from tenants.models import Municipality

        register("offices", authority_for)
        register_personal_data(personal_data.HANDLER)
        resolutions.forget_on_change(
            Office, OpeningInterval, OpeningException, AreaRule, District, DistrictOffice, DistrictOpeningInterval,
            DistrictOpeningException, LocalService, ServiceDefinition, Municipality,
        )  # fmt: skip
        for through in (Office.services.through, DistrictOffice.services.through):
            m2m_changed.connect(resolutions.invalidate, sender=through, dispatch_uid=f"offices-resolutions-{through}")
