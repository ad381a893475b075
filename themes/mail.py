"""E-mails in a municipality's branding: plain text plus an HTML alternative with its colours and contact block."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from tenants.db import current_municipality
from themes.selectors import current_branding


def sender(name: str) -> str:
    """The From header in the municipality's name: "Stadt Gera <noreply@…>" (the address of DEFAULT_FROM_EMAIL)."""
    _default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name, address)) if name and address else settings.DEFAULT_FROM_EMAIL


def branded_mail_send(
    *,
    template: str,
    context: dict[str, object],
    recipient: str,
    language: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    reply_to: Sequence[str] = (),
) -> None:
    """Render ``template`` (first line: subject) in ``language`` and send it to ``recipient``.

    ``attachments``: (file name, content, MIME type), e.g. an appointment's ``.ics`` file; ``reply_to``: where
    "Reply" goes instead of the no-reply sender, e.g. the citizen who wrote through a contact form.
    """
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
    message = EmailMultiAlternatives(subject, body, sender(name), [recipient], reply_to=list(reply_to))
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
