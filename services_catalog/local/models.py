"""A municipality's adoption of shared services (tenant schema) with its local overrides."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services_catalog.models import ServiceDefinition, ServiceVersion


class LocalService(models.Model):
    """One shared service as this municipality offers it.

    Only the named override fields are local; everything else is read from the shared
    definition's latest version, or from the pinned version when one is set.
    """

    definition = models.OneToOneField(
        ServiceDefinition, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    pinned_version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("pinned version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty to always offer the latest published version."),
    )
    enabled = models.BooleanField(_("offered"), default=True)
    online_available = models.BooleanField(_("apply online"), default=True)
    fee_amount = models.DecimalField(
        _("local fee (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Replaces the catalogue's fee; leave empty to use it."),
    )
    office_name = models.CharField(_("responsible office"), max_length=200, blank=True)
    office_street = models.CharField(_("street and number"), max_length=200, blank=True)
    office_postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    office_city = models.CharField(_("city"), max_length=100, blank=True)
    office_phone = models.CharField(_("phone"), max_length=50, blank=True)
    office_email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    local_note_de = models.TextField(_("local note (German)"), blank=True)
    local_note_en = models.TextField(_("local note (English)"), blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("adopted service")
        verbose_name_plural = _("adopted services")

    def __str__(self) -> str:
        return self.definition.name_de

    def clean(self) -> None:
        pinned = self.pinned_version
        if pinned is not None and pinned.definition_id != self.definition_id:
            raise ValidationError({"pinned_version": _("The pinned version must belong to the same service.")})
        if self.office_postcode and not (len(self.office_postcode) == 5 and self.office_postcode.isdigit()):
            raise ValidationError({"office_postcode": _("A German postcode has five digits.")})

    @property
    def offered_version(self) -> ServiceVersion | None:
        return self.pinned_version or self.definition.latest_version
