"""Applications' part of a citizen's data: exported with "my data", detached when the account goes.

Filed applications stay under the retention rules (ADR 0006: kept for the configured period, then
anonymised by ``applications_purge_expired``); deleting the account only removes the link to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from citizens.registry import PersonalDataHandler
from citizens.selectors import iso


def of_account(user: User) -> QuerySet[Application]:
    """Filed under the account, or as a guest with the account's (verified) address before it existed."""
    email = str(getattr(user, "email", "") or "")
    guest = Q(applicant__isnull=True, applicant_email__iexact=email) if email else Q(pk__in=[])
    return Application.objects.filter(Q(applicant=user) | guest, anonymised_at__isnull=True)


def export(user: User) -> dict[str, Any]:
    applications = (
        of_account(user).select_related("version").prefetch_related("attachments", "history", "messages", "payments")
    )
    return {
        "applications": [
            {
                "reference": application.reference,
                "service": application.service_name,
                "status": application.status,
                "language": application.language,
                "applicant_name": application.applicant_name,
                "applicant_email": application.applicant_email,
                "data": application.data,
                "verified_facts": application.facts,
                "fee": str(application.fee),
                "created": iso(application.created),
                "submitted": iso(application.submitted_at),
                "decided": iso(application.decided_at),
                "decision_reasons": application.decision_reasons,
                "attachments": [
                    {"name": a.original_name, "type": a.content_type, "size": a.size, "uploaded": iso(a.created)}
                    for a in application.attachments.all()
                ],
                "history": [
                    {"from": c.from_status, "to": c.to_status, "comment": c.comment, "at": iso(c.created)}
                    for c in application.history.all()
                    if c.public
                ],
                "messages": [
                    {"from_office": m.from_office, "text": m.text, "at": iso(m.created)}
                    for m in application.messages.all()
                ],
                "payments": [
                    {"provider": p.provider, "amount": str(p.amount), "status": p.status, "at": iso(p.created)}
                    for p in application.payments.all()
                ],
            }
            for application in applications
        ]
    }


def erase(user: User) -> None:
    """Detach the applicant; the applications themselves follow the retention rules."""
    Application.objects.filter(applicant=user).update(applicant=None)


HANDLER = PersonalDataHandler(
    key="applications",
    export=export,
    erase=erase,
    erasure_note=_("Your applications are kept as long as the law requires, without the link to your account."),
)
