"""Status changes of an application and the caseworker's steps between filing and decision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from applications import notifications
from applications.models import Application, InternalNote, Message, Payment, StatusChange
from applications.payments import get_provider
from applications.selectors import applications_visible_to
from applications.services.base import IllegalTransition, User, _user, audit, staff_name
from applications.services.drafts import _attachments_add
from applications.states import Status, can_transition


def _check_transition(application: Application, target: str) -> None:
    if not can_transition(application.status, target):
        raise IllegalTransition(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(application.status).label, "target": Status(target).label}
        )


def transition(
    application: Application,
    target: str,
    *,
    actor: User = None,
    actor_label: str = "",
    comment: str = "",
    public: bool = True,
    notify: bool = True,
) -> StatusChange:
    """Move an application to ``target`` and write its history; illegal moves are refused.

    The applicant is e-mailed about public changes after commit (``notify=False`` for a step
    that another change follows at once).
    """
    change = _change(application, target, actor=actor, actor_label=actor_label, comment=comment, public=public)
    change.save()
    application.save(update_fields=["status", "updated"])
    if notify:
        notifications.queue("status_changed", change.pk)
    return change


def note(application: Application, comment: str, *, actor: User = None, public: bool = False) -> StatusChange:
    """A history entry without a status change (e.g. "handed to a caseworker")."""
    return StatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=application.status,
        actor=_user(actor),
        comment=comment,
        public=public,
    )


def _change(
    application: Application,
    target: str,
    *,
    actor: User = None,
    actor_label: str = "",
    comment: str = "",
    public: bool = True,
) -> StatusChange:
    """The (unsaved) history entry of a legal move to ``target``, applied to the application in memory."""
    _check_transition(application, target)
    change = StatusChange(
        application=application,
        from_status=application.status,
        to_status=target,
        actor=_user(actor),
        actor_label=actor_label,
        comment=comment,
        comment_language=(translation.get_language() or "de").split("-")[0] if comment else "",
        public=public,
    )
    application.status = target
    return change


@transaction.atomic
def application_withdraw(application: Application, *, actor: User = None, comment: str = "") -> None:
    """The citizen withdraws before a decision; paid fees are refunded through their provider."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    transition(application, Status.WITHDRAWN, actor=actor, comment=comment)
    for payment in application.payments.select_for_update().filter(status=Payment.State.PAID):
        get_provider(payment.provider).refund(payment)
        payment.status = Payment.State.REFUNDED
        payment.save(update_fields=["status"])
    application.payments.filter(status__in=[Payment.State.PENDING, Payment.State.ON_SITE]).update(
        status=Payment.State.CANCELLED
    )


@transaction.atomic
def information_request(application: Application, *, actor: User, text: str) -> None:
    """Ask the citizen for more information; they answer on the status page."""
    if not text.strip():
        raise ValidationError(_("Please write what information is needed."))
    Message.objects.create(application=application, from_office=True, author=_user(actor), text=text.strip())
    transition(application, Status.NEEDS_INFORMATION, actor=actor, comment=text.strip())


@transaction.atomic
def information_answer(application: Application, *, text: str, files: list[UploadedFile[bytes]]) -> None:
    """The citizen's answer: text and optional files; the application goes back to review."""
    if not text.strip() and not files:
        raise ValidationError(_("Please write an answer or attach a file."))
    if application.status != Status.NEEDS_INFORMATION:
        raise IllegalTransition(_("No information has been requested for this application."))
    spec = {"accept": ["application/pdf", "image/jpeg", "image/png"], "max_size_mb": 10}
    _attachments_add(application, "_answer", files, spec, staff=False)
    Message.objects.create(application=application, from_office=False, text=text.strip())
    transition(application, Status.IN_REVIEW, comment=_("The applicant answered."))


def application_assign(application: Application, *, assignee: Any, actor: User) -> None:
    application.assignee = assignee
    application.save(update_fields=["assignee", "updated"])
    audit(application, actor, "assign", assignee.get_username() if assignee else "")


@transaction.atomic
def applications_assign(*, applications: list[Application], assignee: Any, actor: User) -> int:
    """Assign several applications at once (the inbox's bulk action); each one is logged.

    The assignee must be staff who may see every one of them, or nothing is changed.
    """
    if not applications:
        raise ValidationError(_("Please select at least one application."))
    ids = [application.pk for application in applications]
    if applications_visible_to(assignee).filter(pk__in=ids).count() != len(set(ids)):
        message = _("%(name)s may not work all of the selected applications.")
        raise ValidationError(message % {"name": staff_name(assignee)})
    for application in Application.objects.select_for_update().filter(pk__in=ids):
        application_assign(application, assignee=assignee, actor=actor)
    return len(set(ids))


@transaction.atomic
def note_add(*, application: Application, author: User, text: str) -> InternalNote:
    """An internal note of a caseworker (never shown to the applicant)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Please write a note."))
    if len(text) > 5000:
        raise ValidationError(_("A note can have at most 5000 characters."))
    note = InternalNote.objects.create(application=application, author=_user(author), text=text)
    audit(application, author, "note")
    return note
