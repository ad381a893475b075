"""Status machines of participation as data: moderation, defect reports, ideas."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Moderation(models.TextChoices):
    # A guest's defect report until the link in the e-mail is clicked; then it waits for moderation.
    UNCONFIRMED = "unconfirmed", _("waiting for e-mail confirmation")
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class ReportStatus(models.TextChoices):
    """The public status of a defect report (like Signalen and FixMyStreet)."""

    RECEIVED = "received", _("received")
    PUBLISHED = "published", _("published")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_RESPONSIBLE = "not_responsible", _("not responsible")
    DUPLICATE = "duplicate", _("duplicate")


# RECEIVED → PUBLISHED happens only through moderation (approve); the office moves the rest.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.RECEIVED: frozenset({ReportStatus.PUBLISHED}),
    ReportStatus.PUBLISHED: frozenset(
        {ReportStatus.IN_PROGRESS, ReportStatus.DONE, ReportStatus.NOT_RESPONSIBLE, ReportStatus.DUPLICATE}
    ),
    ReportStatus.IN_PROGRESS: frozenset({ReportStatus.DONE, ReportStatus.NOT_RESPONSIBLE, ReportStatus.DUPLICATE}),
    ReportStatus.DONE: frozenset({ReportStatus.IN_PROGRESS}),
    ReportStatus.NOT_RESPONSIBLE: frozenset({ReportStatus.IN_PROGRESS}),
    ReportStatus.DUPLICATE: frozenset({ReportStatus.IN_PROGRESS}),
}
REPORT_OPEN = frozenset({ReportStatus.PUBLISHED, ReportStatus.IN_PROGRESS})


class IdeaStatus(models.TextChoices):
    """The administration's public answer to an idea."""

    NEW = "new", _("awaiting an answer")
    UNDER_REVIEW = "under_review", _("under review")
    ACCEPTED = "accepted", _("accepted")
    IMPLEMENTED = "implemented", _("implemented")
    REJECTED = "rejected", _("rejected")


IDEA_TRANSITIONS: dict[str, frozenset[str]] = {
    IdeaStatus.NEW: frozenset({IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.REJECTED}),
    IdeaStatus.UNDER_REVIEW: frozenset({IdeaStatus.ACCEPTED, IdeaStatus.REJECTED}),
    IdeaStatus.ACCEPTED: frozenset({IdeaStatus.IMPLEMENTED, IdeaStatus.REJECTED}),
    IdeaStatus.IMPLEMENTED: frozenset(),
    IdeaStatus.REJECTED: frozenset({IdeaStatus.UNDER_REVIEW}),
}
# An answer with one of these statuses must say why.
IDEA_REASON_REQUIRED = frozenset({IdeaStatus.REJECTED})


def report_can_transition(current: str, target: str) -> bool:
    return target in REPORT_TRANSITIONS[current]


def idea_can_transition(current: str, target: str) -> bool:
    return target in IDEA_TRANSITIONS[current]
