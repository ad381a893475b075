"""Moderation: approve, reject, edit, flags that hide, blocking participants; every step logged."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import notifications
from participation.models import (
    Contribution,
    Flag,
    ModerationLog,
    Participant,
    ParticipationSettings,
    Report,
    ReportStatusChange,
)
from participation.services.base import Actor, C, NotAllowed, _require_active, _staff
from participation.states import Moderation, ReportStatus


def _log(item: Contribution | Participant, action: str, actor: Actor, note: str = "") -> ModerationLog:
    kind = "participant" if isinstance(item, Participant) else item.KIND
    label = item.pseudonym if isinstance(item, Participant) else item.label
    return ModerationLog.objects.create(
        kind=kind, item_id=item.pk, item_label=label[:200], action=action, note=note, actor=_staff(actor)
    )


def _publish_report(report: Report, actor: Actor) -> None:
    if report.status == ReportStatus.RECEIVED:
        ReportStatusChange.objects.create(
            report=report, from_status=ReportStatus.RECEIVED, to_status=ReportStatus.PUBLISHED,
            note=_("The report has been checked and is public."), actor=_staff(actor),
        )  # fmt: skip
        report.status = ReportStatus.PUBLISHED
        report.save(update_fields=["status", "updated"])


@transaction.atomic
def moderation_approve(*, item: C, actor: Actor, note: str = "") -> C:
    """Publish a pending item, or restore one that flags hid."""
    item = cast(C, type(item).objects.select_for_update().get(pk=item.pk))
    restoring = item.moderation == Moderation.PUBLISHED and item.hidden_at is not None
    if item.moderation == Moderation.REJECTED:
        raise NotAllowed(_("A rejected contribution stays rejected."))
    item.moderation, item.hidden_at = Moderation.PUBLISHED, None
    item.published_at = item.published_at or timezone.now()
    item.save(update_fields=["moderation", "hidden_at", "published_at"])
    if isinstance(item, Report):
        _publish_report(item, actor)
    log = _log(item, ModerationLog.Action.RESTORE if restoring else ModerationLog.Action.APPROVE, actor, note)
    if not restoring:
        notifications.queue("moderation_outcome", log.pk)
    return item


@transaction.atomic
def moderation_reject(*, item: C, actor: Actor, reason: str) -> C:
    """Reject with a reason the author is told."""
    if not reason.strip():
        raise ValidationError(_("Please give the reason: the author is told why."), code="reason")
    item = cast(C, type(item).objects.select_for_update().get(pk=item.pk))
    item.moderation, item.moderation_note, item.hidden_at = Moderation.REJECTED, reason.strip(), None
    item.save(update_fields=["moderation", "moderation_note", "hidden_at"])
    log = _log(item, ModerationLog.Action.REJECT, actor, reason.strip())
    notifications.queue("moderation_outcome", log.pk)
    return item


EDITABLE_FIELDS = {"report": ("description", "address"), "idea": ("title", "text"), "statement": ("text",),
                   "project": ("title", "summary")}  # fmt: skip


@transaction.atomic
def moderation_edit(*, item: C, actor: Actor, note: str, changes: dict[str, str], publish: bool = True) -> C:
    """Edit a contribution (e.g. remove a personal detail) with a note the author is told; publish it by default."""
    if not note.strip():
        raise ValidationError(_("Please say what you changed and why: the author is told."), code="note")
    allowed = EDITABLE_FIELDS[item.KIND]
    item = cast(C, type(item).objects.select_for_update().get(pk=item.pk))
    for field, value in changes.items():
        if field not in allowed or not str(value).strip():
            raise ValidationError(_("This text cannot be empty."), code="empty")
        setattr(item, field, str(value).strip())
    item.moderation_note = note.strip()
    item.save()
    log = _log(item, ModerationLog.Action.EDIT, actor, note.strip())
    notifications.queue("moderation_outcome", log.pk)
    if publish and item.moderation == Moderation.PENDING:
        item.moderation, item.published_at = Moderation.PUBLISHED, timezone.now()
        item.save(update_fields=["moderation", "published_at"])
        if isinstance(item, Report):
            _publish_report(item, actor)
    return item


def content_flag(*, item: Contribution, participant: Participant | None, reason: str = "") -> bool:
    """Flag a published contribution; the configured number of flags hides it until a moderator looks.

    Returns False when this participant had flagged it already.
    """
    if participant is not None:
        _require_active(participant)
    if not item.is_public:
        raise NotAllowed(_("Only published contributions can be flagged."))
    threshold = ParticipationSettings.load().flags_to_hide
    with transaction.atomic():
        try:
            with transaction.atomic():
                Flag.objects.create(kind=item.KIND, item_id=item.pk, participant=participant, reason=reason[:500])
        except IntegrityError:
            return False
        model = type(item)
        model.objects.filter(pk=item.pk).update(flag_count=F("flag_count") + 1)
        locked = model.objects.select_for_update().get(pk=item.pk)
        if locked.flag_count >= threshold and locked.hidden_at is None:
            locked.hidden_at = timezone.now()
            locked.save(update_fields=["hidden_at"])
            _log(locked, ModerationLog.Action.HIDE, None, _("%(count)s flags") % {"count": locked.flag_count})
    return True


@transaction.atomic
def participant_block(*, participant: Participant, actor: Actor, reason: str) -> Participant:
    if not reason.strip():
        raise ValidationError(_("Please give the reason for blocking."), code="reason")
    participant.blocked_at, participant.blocked_reason = timezone.now(), reason.strip()
    participant.save(update_fields=["blocked_at", "blocked_reason"])
    _log(participant, ModerationLog.Action.BLOCK, actor, reason.strip())
    return participant


@transaction.atomic
def participant_unblock(*, participant: Participant, actor: Actor) -> Participant:
    participant.blocked_at, participant.blocked_reason = None, ""
    participant.save(update_fields=["blocked_at", "blocked_reason"])
    _log(participant, ModerationLog.Action.UNBLOCK, actor)
    return participant
