"""Data of the cooperation office (public schema): its audit log and its own permissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeAction(models.Model):
    """One action of the office on a municipality or the platform, kept for the audit trail.

    The municipality's slug is copied, so an entry outlives a deleted municipality.
    """

    class Kind(models.TextChoices):
        ONBOARD = "onboard", _("onboarding")
        SUSPEND = "suspend", _("suspension")
        RESUME = "resume", _("resumption")
        EXPORT = "export", _("export")
        RESTORE = "restore", _("restore")
        DELETE = "delete", _("deletion")
        ANNOUNCE = "announce", _("announcement")
        AGGREGATE = "aggregate", _("dashboard figures")

    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    municipality = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    municipality_slug = models.CharField(_("municipality (short name)"), max_length=40, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("office action")
        verbose_name_plural = _("office actions")
        permissions = [
            ("manage_municipalities", _("Can onboard, suspend, export, restore and delete municipalities")),
            ("view_dashboard", _("Can see the cross-municipality dashboard")),
            ("post_announcement", _("Can post announcements to municipalities")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.municipality_slug}".strip()
