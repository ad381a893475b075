"""Background work of applications; every task runs in the schema it was queued from."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from amtsplatz.celery import app
from applications.handover import deliver
from applications.models import Application, Handover
from applications.services import (
    applications_purge_expired,
    auto_decide_now,
    auto_decision_due,
    decision_document_render,
)
from applications.states import Status

logger = logging.getLogger(__name__)
MAX_HANDOVER_ATTEMPTS = 8


@app.task(name="applications.auto_decide", acks_late=True)
def auto_decide(application_id: int) -> str | None:
    """Apply the decision rule; running it twice decides once (the row is locked and re-checked)."""
    return auto_decide_now(application_id)


@app.task(name="applications.render_decision_document", acks_late=True)
def render_decision_document(application_id: int) -> bool:
    """Render the decision PDF after the decision committed; a repeated run renders nothing twice."""
    return decision_document_render(application_id)


@app.task(name="applications.send_notification", acks_late=True)
def send_notification(kind: str, object_id: int) -> None:
    """Send one applicant or office e-mail (see applications.notifications)."""
    from applications.notifications import SENDERS

    SENDERS[kind](object_id)


@app.task(name="applications.deliver_handover", bind=True, acks_late=True, max_retries=MAX_HANDOVER_ATTEMPTS)
def deliver_handover(self, handover_id: int) -> bool:  # type: ignore[no-untyped-def]
    """POST to the back office; retry with exponential backoff, then leave it failed for the admin."""
    handover = Handover.objects.select_related("application__service__desk", "application__version").get(pk=handover_id)
    if handover.status == Handover.State.DELIVERED:
        return True
    if deliver(handover):
        return True
    if self.request.retries >= MAX_HANDOVER_ATTEMPTS:
        handover.status = Handover.State.FAILED
        handover.save(update_fields=["status"])
        return False
    raise self.retry(countdown=min(30 * 2**self.request.retries, 3600))


@app.task(name="applications.sweep")
def sweep() -> int:
    """Queue what a broker outage left behind in this municipality: decisions, their documents, hand-overs."""
    settled = timezone.now() - timedelta(seconds=settings.AMTSPLATZ_SWEEP_AFTER_SECONDS)
    waiting = Application.objects.filter(
        status=Status.IN_REVIEW, auto_decision_done=False, updated__lt=settled
    ).select_related("version")
    queued = 0
    for application in waiting:
        if auto_decision_due(application):
            auto_decide.apply_async(args=[application.pk])
            queued += 1
    undocumented = Application.objects.filter(
        status__in=[Status.APPROVED, Status.REJECTED], decision_document="", decided_at__lt=settled
    ).values_list("pk", flat=True)
    for application_id in undocumented:
        render_decision_document.apply_async(args=[application_id])
        queued += 1
    stale = Handover.objects.filter(status=Handover.State.PENDING, attempts=0, created__lt=settled)
    for handover in stale:
        deliver_handover.apply_async(args=[handover.pk])
        queued += 1
    return queued


@app.task(name="applications.purge_expired")
def purge_expired() -> int:
    """Anonymise closed applications past their retention period in this municipality."""
    return applications_purge_expired()
