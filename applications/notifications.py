"""E-mails to citizens and offices about applications, in the application's language."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from applications.models import Application, StatusChange
from tenants.context import municipality_base_url
from tenants.db import current_municipality
from themes.mail import branded_mail_send

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return municipality_base_url(current_municipality()) + path


def status_url(application: Application) -> str:
    with translation.override(application.language):
        return absolute(reverse("applications:status", kwargs={"token": application.access_token}))


def queue(kind: str, object_id: int) -> None:
    """After commit, let a worker send the e-mail; when the broker is down, send it right away."""

    def send() -> None:
        from applications.tasks import send_notification

        try:
            send_notification.apply_async(args=[kind, object_id], retry=False)
        except Exception:
            logger.warning("Could not queue the %s e-mail; sending it in the request", kind, exc_info=True)
            try:
                SENDERS[kind](object_id)
            except Exception:  # a mail server problem must not undo or hide what was committed
                logger.exception("Could not send the %s e-mail for %s", kind, object_id)

    transaction.on_commit(send)


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


def magic_link(*, email: str, link: str, purpose: str, language: str) -> None:
    """The link that verifies an address (and resumes a draft)."""
    branded_mail_send(
        template="applications/email/magic_link.txt",
        context={"link": link, "purpose": purpose},
        recipient=email,
        language=language,
    )
