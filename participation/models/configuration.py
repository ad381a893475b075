"""The municipality's settings of the participation platform (Settings → Participation)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from participation.models.spaces import LATITUDE, LONGITUDE


@register_setting(icon="group")
class ParticipationSettings(BaseGenericSetting):
    """Limits and defaults of the participation platform, per municipality (Settings → Participation)."""

    flags_to_hide = models.PositiveSmallIntegerField(
        _("flags that hide a contribution"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("After this many flags a published contribution is hidden until a moderator has looked at it."),
    )
    proof_of_work_bits = models.PositiveSmallIntegerField(
        _("anti-spam check: difficulty (bits)"),
        default=16,
        validators=[MaxValueValidator(24)],
        help_text=_("Work the visitor's browser does before a form is sent; each bit doubles it. 0 switches it off."),
    )
    guest_reports = models.BooleanField(
        _("guests may report defects"),
        default=True,
        help_text=_(
            "Without an account, with an e-mail address confirmed by a link; such reports always wait for a moderator."
        ),
    )
    contributions_per_account = models.PositiveSmallIntegerField(
        _("contributions per account and hour"), default=10, validators=[MinValueValidator(1)]
    )
    contributions_per_ip = models.PositiveSmallIntegerField(
        _("contributions per network address and hour"), default=30, validators=[MinValueValidator(1)]
    )
    reactions_per_account = models.PositiveSmallIntegerField(
        _("supports, follows and flags per account and hour"), default=120, validators=[MinValueValidator(1)]
    )
    reactions_per_ip = models.PositiveSmallIntegerField(
        _("supports, follows and flags per network address and hour"), default=300, validators=[MinValueValidator(1)]
    )
    sign_ups_per_ip = models.PositiveSmallIntegerField(
        _("sign-ups per network address and hour"), default=5, validators=[MinValueValidator(1)]
    )
    map_latitude = models.DecimalField(
        _("map centre: latitude"), max_digits=9, decimal_places=6, default=Decimal("51.0"), validators=LATITUDE
    )
    map_longitude = models.DecimalField(
        _("map centre: longitude"), max_digits=9, decimal_places=6, default=Decimal("12.0"), validators=LONGITUDE
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=13, validators=[MinValueValidator(5), MaxValueValidator(18)]
    )

    class Meta:
        verbose_name = _("participation")
