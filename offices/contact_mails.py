"""The two e-mails of a contact request, in the municipality's branding (themes.mail).

The office's copy carries the whole message and answers to the citizen's address; the citizen's confirmation
names the reference and the recipient only: an address typed into the form is not verified, so the portal
never sends a stranger's text to it.
"""

from __future__ import annotations

import logging

from django.urls import reverse

from offices.models import ContactRequest
from tenants.context import municipality_base_url
from tenants.db import current_municipality
from themes.mail import branded_mail_send
from themes.selectors import current_branding, current_legal_details

logger = logging.getLogger(__name__)


def general_address() -> str:
    """The municipality's general e-mail address: the branding's contact block, else the Impressum's."""
    return current_branding().contact_email or current_legal_details().email


def office_copy(contact: ContactRequest) -> None:
    """To the office's address (without one: the municipality's general address), in German, with a /cms/ link."""
    recipient = (contact.office.email if contact.office else "") or general_address()
    if not recipient:
        logger.warning("Contact request %s has no address to go to; it waits in /cms/ only", contact.reference)
        return
    path = reverse("wagtailsnippets_offices_contactrequest:edit", args=[contact.pk])
    branded_mail_send(
        template="offices/email/contact_office.txt",
        context={"contact": contact, "cms_link": municipality_base_url(current_municipality()) + path},
        recipient=recipient,
        language="de",
        reply_to=[contact.email],
    )


def confirmation(contact: ContactRequest) -> None:
    branded_mail_send(
        template="offices/email/contact_confirmation.txt",
        context={"contact": contact},
        recipient=contact.email,
        language=contact.language,
    )
