"""Participation profiles of citizen accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Participant(models.Model):
    """The participation profile of a citizen account: the public pseudonym, an optional real name never shown."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant")
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    real_name = models.CharField(
        _("real name (optional, never shown)"),
        max_length=200,
        blank=True,
        help_text=_("Only the administration sees it, e.g. to answer a project's funding application."),
    )
    language = models.CharField(max_length=5, default="de")
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)
    blocked_reason = models.TextField(_("reason for blocking"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        constraints = [models.UniqueConstraint(Lower("pseudonym"), name="participant_pseudonym_unique")]
        permissions = [
            ("moderate", _("Can moderate contributions and block participants")),
            ("work_reports", _("Can work defect reports")),
            ("manage_participation", _("Can answer ideas and close consultations")),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None
