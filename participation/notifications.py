"""E-mails of participation, in the municipality's branding and the recipient's language.

Sent after commit by a worker; when the broker is down, right away in the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from participation.models import (
    IdeaStatusChange,
    ModerationLog,
    Participant,
    Report,
    ReportStatusChange,
)
from tenants.context import municipality_base_url
from tenants.db import current_municipality
from tenants.tasks import enqueue_on_commit
from themes.mail import branded_mail_send

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return municipality_base_url(current_municipality()) + path


def _to_participant(participant: Participant, template: str, context: dict[str, object], path: str) -> None:
    with translation.override(participant.language):
        link = absolute(path)
    branded_mail_send(
        template=template,
        context={**context, "participant": participant, "link": link},
        recipient=participant.user.email,
        language=participant.language,
    )


def report_received(report_id: int) -> None:
    """Route a new report to its category's office."""
    report = Report.objects.select_related("category").get(pk=report_id)
    link = absolute(reverse("participation_admin:report", args=[report.pk]))
    context = {"report": report, "link": link}
    branded_mail_send(
        template="participation/email/report_received.txt",
        context=context,
        recipient=report.category.office_email,
        language="de",
    )


def guest_report_confirm(report_id: int) -> None:
    """The link a guest clicks to confirm the address of a defect report (in the language of the form)."""
    report = Report.objects.select_related("category").get(pk=report_id)
    if not report.guest_token:
        return
    link = absolute(reverse("participation:report-confirm", kwargs={"token": report.guest_token}))
    branded_mail_send(
        template="participation/email/guest_report_confirm.txt",
        context={"report": report, "link": link},
        recipient=report.guest_email,
        language=translation.get_language() or "de",
    )


def report_status(change_id: int) -> None:
    """Tell the reporter and every follower about a public status change."""
    from participation.selectors import public_url

    change = ReportStatusChange.objects.select_related("report__category").get(pk=change_id)
    followers = Participant.objects.filter(followed_reports__report=change.report).select_related("user")
    for participant in followers:
        with translation.override(participant.language):
            path = public_url(change.report)
        _to_participant(participant, "participation/email/report_status.txt", {"change": change}, path)


def moderation_outcome(log_id: int) -> None:
    """Tell the author that a contribution was published, edited (with the note) or rejected (with the reason)."""
    from participation.selectors import item_of, public_url

    log = ModerationLog.objects.get(pk=log_id)
    item = item_of(log.kind, log.item_id)
    if item is None or item.author is None:
        return
    with translation.override(item.author.language):
        path = public_url(item) if item.is_public else reverse("participation:mine")
    context: dict[str, object] = {"log": log, "item": item}
    _to_participant(item.author, "participation/email/moderation_outcome.txt", context, path)


def idea_answered(change_id: int) -> None:
    from participation.selectors import public_url

    change = IdeaStatusChange.objects.select_related("idea__space", "idea__author__user").get(pk=change_id)
    author = change.idea.author
    if author is None:
        return
    with translation.override(author.language):
        path = public_url(change.idea)
    _to_participant(author, "participation/email/idea_answered.txt", {"change": change}, path)


def moderator_digest(*, moderators: list[User], pending: int) -> None:
    link = absolute(reverse("participation_admin:queue"))
    for moderator in moderators:
        branded_mail_send(
            template="participation/email/moderator_digest.txt",
            context={"pending": pending, "link": link},
            recipient=moderator.email,
            language="de",
        )


SENDERS: dict[str, Callable[[int], None]] = {
    "report_received": report_received,
    "guest_report_confirm": guest_report_confirm,
    "report_status": report_status,
    "moderation_outcome": moderation_outcome,
    "idea_answered": idea_answered,
}


def queue(kind: str, object_id: int) -> None:
    """After commit, let a worker send the e-mail; when the broker is down, send it right away."""
    enqueue_on_commit(
        "participation.send_notification",
        [kind, object_id],
        what=f"the {kind} e-mail",
        fallback=lambda: SENDERS[kind](object_id),
    )
