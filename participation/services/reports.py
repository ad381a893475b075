"""Defect reports: filing (citizens and guests), confirmation, following, status changes, assignment."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import notifications
from participation.models import (
    Participant,
    ParticipationSettings,
    Report,
    ReportCategory,
    ReportFollower,
    ReportPhoto,
    ReportStatusChange,
    Space,
)
from participation.services.base import (
    MAX_PHOTOS,
    Actor,
    NotAllowed,
    _clean_images,
    _initial_state,
    _require_active,
    _require_open,
    _staff,
)
from participation.states import Moderation, ReportStatus, report_can_transition


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
