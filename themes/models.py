"""Per-municipality branding (tenant schema), edited under Settings in the municipality's /cms/."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from themes.validators import validate_hex_colour


@register_setting(icon="image")
class Branding(BaseSiteSetting):
    """Name and colours that a municipality's portal, e-mails and documents show."""

    municipality_name = models.CharField(_("municipality name"), max_length=200, blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1f4e79", validators=[validate_hex_colour]
    )
    secondary_colour = models.CharField(
        _("secondary colour"), max_length=7, default="#f2f5f8", validators=[validate_hex_colour]
    )

    class Meta:
        verbose_name = _("branding")
