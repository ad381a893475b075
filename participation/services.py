"""Writes of citizen participation: contributions, supports, status changes, moderation, accounts, projects."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsplatz.uploads import clean_upload
from participation import notifications
from participation.models import (
    Contribution,
    Flag,
    Idea,
    IdeaStatusChange,
    IdeaSupport,
    ModerationLog,
    Participant,
    ParticipationSettings,
    Project,
    ProjectMember,
    Report,
    ReportCategory,
    ReportFollower,
    ReportPhoto,
    ReportStatusChange,
    Space,
    Statement,
    StatementSupport,
    Topic,
)
from participation.states import (
    IDEA_REASON_REQUIRED,
    IdeaStatus,
    Moderation,
    ReportStatus,
    idea_can_transition,
    report_can_transition,
)

IMAGE_TYPES = ("image/jpeg", "image/png")
MAX_PHOTOS = 3
MAX_PHOTO_MB = 8
Actor = AbstractBaseUser | AnonymousUser | None
C = TypeVar("C", bound=Contribution)


class NotAllowed(ValidationError):
    """The action is not possible now (blocked account, closed space, not a member, …)."""


def _staff(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _require_active(participant: Participant) -> None:
    if participant.is_blocked:
        raise NotAllowed(_("Your account is blocked from participating. Please contact the administration."))


def _require_open(space: Space, kind: str) -> None:
    if space.kind != kind:
        raise NotAllowed(_("This space does not take this kind of contribution."))
    if not space.accepts_contributions:
        raise NotAllowed(_("This space is closed: contributions are no longer possible."))


def _initial_state(contribution: Contribution, space: Space, *, checked: bool) -> None:
    """Published at once only where pre-moderation is off and the anti-spam check was solved."""
    contribution.checked = checked
    if not space.premoderation and checked:
        contribution.moderation = Moderation.PUBLISHED
        contribution.published_at = timezone.now()


def _clean_images(files: Sequence[UploadedFile[bytes]], limit: int) -> list[Any]:
    if len(files) > limit:
        raise ValidationError(
            _("Please attach at most %(limit)s photos."), code="too_many_photos", params={"limit": limit}
        )
    return [clean_upload(upload, accept=IMAGE_TYPES, max_size_mb=MAX_PHOTO_MB) for upload in files]


# --- Accounts --------------------------------------------------------------------------------


def participant_create(*, user: Any, pseudonym: str, real_name: str = "", language: str = "de") -> Participant:
    """Add the participation profile to a citizen account (one per account)."""
    if user.is_staff:
        raise NotAllowed(_("Staff accounts cannot take part as citizens."))
    taken = ValidationError({"pseudonym": _("This pseudonym is taken. Please choose another one.")})
    if Participant.objects.filter(pseudonym__iexact=pseudonym.strip()).exists():
        raise taken
    try:
        with transaction.atomic():
            return Participant.objects.create(
                user=user, pseudonym=pseudonym.strip(), real_name=real_name.strip(), language=language
            )
    except IntegrityError as error:  # the same pseudonym, chosen at the same moment
        raise taken from error


def participant_update(*, participant: Participant, pseudonym: str, real_name: str, language: str) -> Participant:
    taken = Participant.objects.filter(pseudonym__iexact=pseudonym.strip()).exclude(pk=participant.pk)
    if taken.exists():
        raise ValidationError({"pseudonym": _("This pseudonym is taken. Please choose another one.")})
    participant.pseudonym, participant.real_name, participant.language = pseudonym.strip(), real_name.strip(), language
    participant.save(update_fields=["pseudonym", "real_name", "language"])
    return participant


# --- Defect reports ----------------------------------------------------------------------------


def reports_space() -> Space:
    """The municipality's defect reporter (created pre-moderated on first use)."""
    space = Space.objects.filter(kind=Space.Kind.REPORTS).order_by("pk").first()
    if space is None:
        space = Space.objects.create(kind=Space.Kind.REPORTS, title=_("Report a defect"), slug="maengelmelder")
    return space


def _coordinates_check(latitude: Decimal | None, longitude: Decimal | None, address: str) -> None:
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Please give both latitude and longitude, or neither."), code="coordinates")
    if latitude is None and not address.strip():
        raise ValidationError(
            _("Please say where the defect is: an address or place, or a point on the map."), code="location"
        )


@transaction.atomic
def report_file(
    *,
    participant: Participant,
    category: ReportCategory,
    description: str,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[UploadedFile[bytes]] = (),
    contact_allowed: bool = False,
    contact_phone: str = "",
    checked: bool = True,
) -> Report:
    """File a defect report: photos cleaned, the office told, the reporter following it."""
    _require_active(participant)
    space = reports_space()
    report = _report_new(
        space=space, category=category, description=description, address=address, latitude=latitude,
        longitude=longitude, contact_allowed=contact_allowed, contact_phone=contact_phone,
    )  # fmt: skip
    report.author = participant
    _initial_state(report, space, checked=checked)
    if report.moderation == Moderation.PUBLISHED:
        report.status = ReportStatus.PUBLISHED
    report.save()
    ReportStatusChange.objects.create(
        report=report, to_status=ReportStatus.RECEIVED, note=_("Your report has been received.")
    )
    if report.status == ReportStatus.PUBLISHED:
        ReportStatusChange.objects.create(
            report=report, from_status=ReportStatus.RECEIVED, to_status=ReportStatus.PUBLISHED,
            note=_("The report is public."),
        )  # fmt: skip
    _photos_store(report, photos)
    ReportFollower.objects.create(report=report, participant=participant)
    notifications.queue("report_received", report.pk)
    return report


def _report_new(
    *, space: Space, category: ReportCategory, description: str, address: str, latitude: Decimal | None,
    longitude: Decimal | None, contact_allowed: bool, contact_phone: str,
) -> Report:  # fmt: skip
    """An unsaved report after the checks every report passes."""
    _require_open(space, Space.Kind.REPORTS)
    if not category.is_active:
        raise ValidationError(_("This category is no longer offered."), code="category")
    _coordinates_check(latitude, longitude, address)
    return Report(
        space=space, category=category, description=description.strip(), address=address.strip(),
        latitude=latitude, longitude=longitude, contact_allowed=contact_allowed,
        contact_phone=contact_phone.strip() if contact_allowed else "",
    )  # fmt: skip


def _photos_store(report: Report, photos: Sequence[UploadedFile[bytes]]) -> None:
    for upload in _clean_images(photos, MAX_PHOTOS):
        photo = ReportPhoto(report=report, content_type=upload.content_type, extension=upload.extension,
                            size=upload.size)  # fmt: skip
        photo.file.save(f"photo{upload.extension}", ContentFile(upload.content), save=True)


@transaction.atomic
def guest_report_file(
    *,
    email: str,
    category: ReportCategory,
    description: str,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Sequence[UploadedFile[bytes]] = (),
    contact_allowed: bool = False,
    contact_phone: str = "",
    checked: bool = True,
) -> Report:
    """A guest's defect report, held until the e-mail link is clicked (where the municipality allows guests).

    Nobody sees it and the office is not told until then; after confirming, it waits for a moderator.
    """
    if not ParticipationSettings.load().guest_reports:
        raise ValidationError(_("Please log in to report a defect."), code="guests_off")
    if not email.strip():
        raise ValidationError(_("Please enter your e-mail address."), code="email")
    report = _report_new(
        space=reports_space(), category=category, description=description, address=address, latitude=latitude,
        longitude=longitude, contact_allowed=contact_allowed, contact_phone=contact_phone,
    )  # fmt: skip
    report.guest_email = email.strip().lower()
    report.guest_token = secrets.token_urlsafe(32)
    report.moderation = Moderation.UNCONFIRMED
    report.checked = checked
    report.save()
    _photos_store(report, photos)
    notifications.queue("guest_report_confirm", report.pk)
    return report


GUEST_CONFIRMATION_DAYS = 7


@transaction.atomic
def guest_reports_purge_unconfirmed(*, now: Any = None) -> int:
    """Delete guest reports whose link was not clicked within the confirmation period, with their photos."""
    cutoff = (now or timezone.now()) - timedelta(days=GUEST_CONFIRMATION_DAYS)
    stale = Report.objects.filter(moderation=Moderation.UNCONFIRMED, created__lt=cutoff)
    for photo in ReportPhoto.objects.filter(report__in=stale):
        photo.file.delete(save=False)
    _total, per_model = stale.delete()
    return per_model.get(Report._meta.label, 0)


@transaction.atomic
def guest_report_confirm(*, token: str) -> Report:
    """The guest clicked the link: the report now waits for a moderator and the office is told.

    A second click changes nothing; an unknown or expired link is refused.
    """
    report = Report.objects.select_for_update().filter(guest_token=token).first() if 0 < len(token) <= 64 else None
    if report is None:
        raise ValidationError(_("This confirmation link is not valid."), code="token")
    if report.moderation != Moderation.UNCONFIRMED:
        return report
    if report.created < timezone.now() - timedelta(days=GUEST_CONFIRMATION_DAYS):
        raise ValidationError(_("This confirmation link has expired. Please report the defect again."), code="expired")
    report.moderation = Moderation.PENDING
    report.save(update_fields=["moderation", "updated"])
    ReportStatusChange.objects.create(
        report=report, to_status=ReportStatus.RECEIVED, note=_("Your report has been received.")
    )
    notifications.queue("report_received", report.pk)
    return report


def report_follow(*, report: Report, participant: Participant, follow: bool = True) -> None:
    _require_active(participant)
    if not report.is_public:
        raise NotAllowed(_("Only published reports can be followed."))
    if follow:
        ReportFollower.objects.get_or_create(report=report, participant=participant)
    else:
        ReportFollower.objects.filter(report=report, participant=participant).delete()


@transaction.atomic
def report_transition(
    *, report: Report, to_status: str, note: str, actor: Actor, duplicate_of: Report | None = None
) -> ReportStatusChange:
    """Move a report to its next public status with a public note; reporter and followers get an e-mail."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not note.strip():
        raise ValidationError(_("Please write a public note for this status change."), code="note")
    if not report_can_transition(report.status, to_status):
        raise NotAllowed(
            _("A report that is “%(current)s” cannot become “%(target)s”."),
            params={"current": report.get_status_display(), "target": ReportStatus(to_status).label},
        )
    if to_status == ReportStatus.PUBLISHED and report.moderation != Moderation.PUBLISHED:
        raise NotAllowed(_("A report becomes public through moderation."))
    if to_status == ReportStatus.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == report.pk:
            raise ValidationError(_("Please name the report this one duplicates."), code="duplicate_of")
        report.duplicate_of = duplicate_of
    change = ReportStatusChange.objects.create(
        report=report, from_status=report.status, to_status=to_status, note=note.strip(), actor=_staff(actor)
    )
    report.status = to_status
    report.save(update_fields=["status", "duplicate_of", "updated"])
    notifications.queue("report_status", change.pk)
    return change


def report_assign(*, report: Report, assignee: Any) -> None:
    report.assignee = assignee
    report.save(update_fields=["assignee", "updated"])


# --- Ideas -------------------------------------------------------------------------------------


@transaction.atomic
def idea_propose(
    *,
    participant: Participant,
    space: Space,
    title: str,
    text: str,
    topic: Topic | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    image: UploadedFile[bytes] | None = None,
    checked: bool = True,
) -> Idea:
    _require_active(participant)
    _require_open(space, Space.Kind.IDEAS)
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Please give both latitude and longitude, or neither."), code="coordinates")
    cleaned = _clean_images([image] if image else [], 1)
    idea = Idea(space=space, author=participant, title=title.strip(), text=text.strip(), topic=topic,
                address=address.strip(), latitude=latitude, longitude=longitude)  # fmt: skip
    _initial_state(idea, space, checked=checked)
    if cleaned:
        idea.image_type = cleaned[0].content_type
        idea.image.save(f"idea{cleaned[0].extension}", ContentFile(cleaned[0].content), save=False)
    idea.save()
    return idea


def idea_support(*, idea: Idea, participant: Participant) -> bool:
    """Support an idea; a second support of the same person changes nothing (returns False)."""
    _require_active(participant)
    if not idea.is_public:
        raise NotAllowed(_("Only published ideas can be supported."))
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, participant=participant)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def idea_answer(*, idea: Idea, status: str, answer: str, actor: Actor) -> IdeaStatusChange:
    """The administration's public answer; a rejection must give its reason. The author gets an e-mail."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea_can_transition(idea.status, status):
        raise NotAllowed(
            _("An idea that is “%(current)s” cannot become “%(target)s”."),
            params={"current": idea.get_status_display(), "target": IdeaStatus(status).label},
        )
    if status in IDEA_REASON_REQUIRED and not answer.strip():
        raise ValidationError(_("Please give the reason for rejecting the idea."), code="reason")
    change = IdeaStatusChange.objects.create(
        idea=idea, from_status=idea.status, to_status=status, answer=answer.strip(), actor=_staff(actor)
    )
    idea.status, idea.answer, idea.answered_at = status, answer.strip(), timezone.now()
    idea.save(update_fields=["status", "answer", "answered_at"])
    notifications.queue("idea_answered", change.pk)
    return change


# --- Consultations -----------------------------------------------------------------------------


def statement_post(*, participant: Participant, space: Space, text: str, checked: bool = True) -> Statement:
    """A statement on a consultation; statements have no parent, so there is nothing to reply to."""
    _require_active(participant)
    _require_open(space, Space.Kind.CONSULTATION)
    with transaction.atomic():
        statement = Statement(space=space, author=participant, text=text.strip())
        _initial_state(statement, space, checked=checked)
        statement.save()
    return statement


def statement_support(*, statement: Statement, participant: Participant) -> bool:
    _require_active(participant)
    if not statement.is_public:
        raise NotAllowed(_("Only published statements can be supported."))
    try:
        with transaction.atomic():
            StatementSupport.objects.create(statement=statement, participant=participant)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def consultation_close(*, space: Space, summary: str, actor: Actor) -> Space:
    """Close a consultation and publish its summary."""
    if space.kind != Space.Kind.CONSULTATION:
        raise NotAllowed(_("Only consultations are closed with a summary."))
    if not summary.strip():
        raise ValidationError(_("Please write the summary that will be published."), code="summary")
    space.summary, space.closed_at, space.is_open = summary.strip(), space.closed_at or timezone.now(), False
    space.save(update_fields=["summary", "closed_at", "is_open"])
    return space


# --- Citizen projects ----------------------------------------------------------------------------


@transaction.atomic
def project_start(
    *,
    idea: Idea,
    participant: Participant,
    title: str,
    summary: str,
    motivation: str,
    skills: str,
    checked: bool = True,
) -> Project:
    """Grow a published idea into a project; its starter is the first team member."""
    _require_active(participant)
    if not idea.is_public:
        raise NotAllowed(_("Only published ideas can grow into a project."))
    project = Project(idea=idea, author=participant, title=title.strip(), summary=summary.strip())
    _initial_state(project, idea.space, checked=checked)
    project.save()
    ProjectMember.objects.create(
        project=project, participant=participant, role=ProjectMember.Role.INITIATOR,
        motivation=motivation.strip(), skills=skills.strip(),
    )  # fmt: skip
    return project


def project_join(*, project: Project, participant: Participant, motivation: str, skills: str) -> ProjectMember:
    _require_active(participant)
    if not project.is_public:
        raise NotAllowed(_("Only published projects take new members."))
    if not motivation.strip() or not skills.strip():
        raise ValidationError(_("Please say why you join and what you can contribute."), code="motivation")
    try:
        with transaction.atomic():
            return ProjectMember.objects.create(
                project=project, participant=participant, motivation=motivation.strip(), skills=skills.strip()
            )
    except IntegrityError:
        return ProjectMember.objects.get(project=project, participant=participant)


def project_leave(*, project: Project, participant: Participant) -> None:
    membership = ProjectMember.objects.filter(project=project, participant=participant).first()
    if membership is None:
        return
    if membership.role == ProjectMember.Role.INITIATOR and project.members.count() > 1:
        raise NotAllowed(_("As initiator, you can leave once the other members have left."))
    membership.delete()


def project_plan_save(*, project: Project, formsets: Iterable[Any]) -> None:
    """Save the team's planning templates (goals, milestones, budget, tasks) together."""
    with transaction.atomic():
        for formset in formsets:
            formset.instance = project
            formset.save()


# --- Moderation ----------------------------------------------------------------------------------


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
