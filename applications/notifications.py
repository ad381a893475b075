"""E-mails to citizens and offices about applications, in the application's language."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from applications.models import Application, StatusChange
from tenants.context import municipality_base_url
from tenants.db import current_municipality, on_commit_in_current_schema
from themes.selectors import current_branding

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return municipality_base_url(current_municipality()) + path


def status_url(application: Application) -> str:
    with translation.override(application.language):
        return absolute(reverse("applications:status", kwargs={"token": application.access_token}))


def _send(template: str, context: dict[str, object], recipient: str, language: str) -> None:
    """Render ``template`` (first line: subject) and send it as text with a branded HTML alternative."""
    branding = current_branding()
    name = branding.display_name or current_municipality().name
    context = {**context, "municipality": name, "branding": branding}
    with translation.override(language):
        subject, _sep, body = render_to_string(template, context).strip().partition("\n")
        subject, body = subject.strip(), body.strip() + "\n"
        html = render_to_string(
            "themes/email/message.html",
            {"branding": branding, "subject": subject, "body": body, "language": language},
        )
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    message.attach_alternative(html, "text/html")
    message.send()


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

    on_commit_in_current_schema(send)


def status_changed(change_id: int) -> None:
    """Tell the applicant about a public status change, with the link to the status page."""
    change = StatusChange.objects.select_related("application").get(pk=change_id)
    application = change.application
    if not change.public or application.is_draft:
        return
    context = {"application": application, "change": change, "status_url": status_url(application)}
    _send("applications/email/status_changed.txt", context, application.applicant_email, application.language)


def new_application(application_id: int) -> None:
    """A note to the responsible office's address of the service, when it has one."""
    application = Application.objects.select_related("service").get(pk=application_id)
    if not application.service.office_email:
        return
    inbox_url = absolute(reverse("applications_admin:detail", args=[application.public_id]))
    context = {"application": application, "inbox_url": inbox_url}
    _send("applications/email/new_application.txt", context, application.service.office_email, "de")


SENDERS: dict[str, Callable[[int], None]] = {"status_changed": status_changed, "new_application": new_application}


def magic_link(*, email: str, link: str, purpose: str, language: str) -> None:
    """The link that verifies an address (and resumes a draft)."""
    _send("applications/email/magic_link.txt", {"link": link, "purpose": purpose}, email, language)
