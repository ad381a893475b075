"""E-mails to citizens and offices about applications, in the application's language."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amtsplatz.infra import postbox
from applications.models import Application, StatusChange
from tenants.context import municipality_base_url
from tenants.db import current_municipality
from tenants.tasks import enqueue_on_commit
from themes.mail import branded_mail_send

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return municipality_base_url(current_municipality()) + path


def status_url(application: Application) -> str:
    with translation.override(application.language):
        return absolute(reverse("applications:status", kwargs={"token": application.access_token}))


def queue(kind: str, object_id: int) -> None:
    """After commit, let a worker send the e-mail; when the broker is down, send it right away."""
    enqueue_on_commit(
        "applications.send_notification",
        [kind, object_id],
        what=f"the {kind} e-mail",
        fallback=lambda: SENDERS[kind](object_id),
    )


def queue_new_application(application: Application) -> None:
    """After commit, tell the service's office about a new application, when the service names an address."""
    if application.service.office_email:
        queue("new_application", application.pk)


def status_changed(change_id: int) -> None:
    """Tell the applicant about a public status change, with the link to the status page."""
    change = StatusChange.objects.select_related("application").get(pk=change_id)
    application = change.application
    if not change.public or application.is_draft:
        return
    context = {"application": application, "change": change, "status_url": status_url(application)}
    branded_mail_send(
        template="applications/email/status_changed.txt",
        context=context,
        recipient=application.applicant_email,
        language=application.language,
    )
    if application.applicant_id:
        with translation.override(application.language):
            status = application.get_status_display()
            subject = gettext("%(service)s (%(reference)s): %(status)s") % {
                "service": application.service_name,
                "reference": application.reference or "",
                "status": status,
            }
            body = change.comment or gettext("The status of your application is now: %(status)s.") % {"status": status}
        postbox.deliver(
            postbox.Letter(user_id=application.applicant_id, subject=subject, body=body, link=status_url(application))
        )


def new_application(application_id: int) -> None:
    """A note to the responsible office's address of the service, when it has one."""
    application = Application.objects.select_related("service").get(pk=application_id)
    if not application.service.office_email:
        return
    inbox_url = absolute(reverse("applications_admin:detail", args=[application.public_id]))
    context = {"application": application, "inbox_url": inbox_url}
    branded_mail_send(
        template="applications/email/new_application.txt",
        context=context,
        recipient=application.service.office_email,
        language="de",
    )


SENDERS: dict[str, Callable[[int], None]] = {"status_changed": status_changed, "new_application": new_application}
