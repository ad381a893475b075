"""Landkreise and their offices (public schema): kept once by the cooperation office for all members.

A municipality belongs to the district whose key equals the first five digits of its AGS (the
Kreisschlüssel). A kreisfreie Stadt has no district row: it is its own lower administrative authority.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from offices.base import OfficeBase, OpeningExceptionBase, OpeningIntervalBase
from services_catalog.models import ServiceDefinition
from tenants.models import FederalState


class District(models.Model):
    """A Landkreis; its member municipalities are those whose AGS starts with ``key``."""

    key = models.CharField(
        _("district key (Kreisschlüssel)"), max_length=5, unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("A district key has five digits (the start of the AGS)."))],
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)

    class Meta:
        verbose_name = _("district (Landkreis)")
        verbose_name_plural = _("districts (Landkreise)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DistrictOffice(OfficeBase):
    """An office of a Landkreis (Landratsamt, Zulassungsstelle, …) and the catalogue services it handles."""

    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="offices")
    services = models.ManyToManyField(
        ServiceDefinition, verbose_name=_("services handled here"), blank=True, related_name="district_offices"
    )

    class Meta:
        verbose_name = _("district office")
        verbose_name_plural = _("district offices")
        ordering = ["district__name", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "slug"], name="districtoffice_unique_slug")]


class DistrictOpeningInterval(OpeningIntervalBase):
    office = models.ForeignKey(DistrictOffice, on_delete=models.CASCADE, related_name="opening_intervals")

    class Meta(OpeningIntervalBase.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class DistrictOpeningException(OpeningExceptionBase):
    office = models.ForeignKey(DistrictOffice, on_delete=models.CASCADE, related_name="opening_exceptions")

    class Meta(OpeningExceptionBase.Meta):
        verbose_name = _("closure or special hours")
        verbose_name_plural = _("closures and special hours")
