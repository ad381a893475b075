"""Statements in consultations and their supports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models.participants import Participant
from participation.models.spaces import Contribution, Space


class Statement(Contribution):
    """A statement on a consultation. Deliberately without a parent: nobody can reply to a statement."""

    KIND = "statement"

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(_("your statement"), max_length=3000)

    class Meta:
        verbose_name = _("statement")
        ordering = ["created"]

    def __str__(self) -> str:
        return self.text[:60]


class StatementSupport(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="statement_supports")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "participant"], name="statement_support_once")]

    def __str__(self) -> str:
        return f"{self.participant} + {self.statement_id}"
