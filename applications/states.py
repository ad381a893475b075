"""The status machine of an application: which status may follow which."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
    IN_REVIEW = "in_review", _("in review")
    NEEDS_INFORMATION = "needs_information", _("needs information")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.AWAITING_PAYMENT, Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.AWAITING_PAYMENT: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.IN_REVIEW: frozenset({Status.NEEDS_INFORMATION, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}),
    Status.NEEDS_INFORMATION: frozenset({Status.IN_REVIEW, Status.WITHDRAWN}),
    Status.APPROVED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}
CLOSED = frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS[current]
