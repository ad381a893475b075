"""Offices' part of a citizen's data: contact requests sent with the account's (verified) e-mail address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from citizens.registry import PersonalDataHandler
from citizens.selectors import iso
from offices.models import CONTACT_RETENTION_DAYS, ContactRequest


def _of(user: User) -> Any:
    email = str(getattr(user, "email", "") or "")
    return ContactRequest.objects.filter(email__iexact=email) if email else ContactRequest.objects.none()


def export(user: User) -> dict[str, Any]:
    return {
        "contact_requests": [
            {
                "reference": contact.reference,
                "office": contact.office.name if contact.office else "",
                "name": contact.name,
                "email": contact.email,
                "subject": contact.subject,
                "message": contact.message,
                "service": contact.service_key,
                "question": contact.question,
                "received": iso(contact.created),
                "done": contact.done,
            }
            for contact in _of(user).select_related("office").order_by("created")
        ]
    }


def erase(user: User) -> None:
    _of(user).delete()


HANDLER = PersonalDataHandler(
    key="offices",
    export=export,
    erase=erase,
    erasure_note=format_lazy(
        _("Messages sent through the contact form are deleted {days} days after they reached us anyway."),
        days=CONTACT_RETENTION_DAYS,
    ),
)
