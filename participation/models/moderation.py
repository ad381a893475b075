"""Moderation: flags, the moderation log, moderators' digests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models.participants import Participant


class Flag(models.Model):
    """Someone thinks a published contribution breaks the rules."""

    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "item_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item_id", "participant"],
                condition=models.Q(participant__isnull=False),
                name="flag_once_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id}"


class ModerationLog(models.Model):
    """Every moderation action: approve, reject, edit, hide, restore, block, unblock (kept after deletions)."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        EDIT = "edit", _("edited")
        HIDE = "hide", _("hidden after flags")
        RESTORE = "restore", _("restored after review")
        BLOCK = "block", _("blocked participant")
        UNBLOCK = "unblock", _("unblocked participant")

    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    item_label = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("moderation log entry")

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.item_id}"


class ModeratorDigest(models.Model):
    """One digest per day: a retried or duplicated task sends nothing twice."""

    day = models.DateField(unique=True)
    pending = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.day}: {self.pending}"
