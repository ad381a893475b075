"""Retention: closed applications anonymised after their service's retention period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from applications.models import Application
from applications.services.drafts import _files_delete
from applications.states import CLOSED


def applications_purge_expired(*, now: Any = None) -> int:
    """Anonymise closed applications past their service's retention period; their files are deleted."""
    now = now or timezone.now()
    count = 0
    closed = Application.objects.filter(status__in=CLOSED, anonymised_at__isnull=True).select_related("version")
    for application in closed.iterator():
        closed_at = application.decided_at or application.updated
        if closed_at + timedelta(days=application.version.retention_days) > now:
            continue
        with transaction.atomic():
            _files_delete(application.attachments.all())
            if application.decision_document:
                application.decision_document.delete(save=False)
            application.data = {}
            application.facts = {}
            application.verified = {}  # the eID's attributes go with the application's retention
            application.applicant_email = "anonymised@invalid"
            application.applicant_name = ""
            application.applicant = None
            application.decision_reasons = ""
            application.anonymised_at = now
            application.save()
            application.messages.update(text="—")
            application.history.update(comment="")
        count += 1
    return count
