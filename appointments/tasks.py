"""Background work of appointments; every task runs in the schema it was queued from (or fanned out to)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from amtsplatz.celery import app
from appointments import selectors, services

logger = logging.getLogger(__name__)


# A database restart or a mail server away is retried with growing pauses (about 1, 2, 4 … s up to 5 minutes);
# what is still unsent after that, or lost with the broker's queue, the sweeper queues again (ADR 0087).
@app.task(
    name="appointments.send_notification",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
)
def send_notification(kind: str, booking_id: int) -> bool:
    """Send one appointment e-mail (see appointments.notifications) unless it went out already."""
    return services.notification_send(kind=kind, object_id=booking_id)


@app.task(name="appointments.release_reservations")
def release_reservations() -> int:
    """Every minute, per municipality: reservations (office slots, visit places) not confirmed in time are released."""
    return services.reservations_release() + services.visit_reservations_release()


@app.task(name="appointments.send_reminders")
def send_reminders() -> int:
    """Every hour from 17:00, per municipality: queue a reminder for each confirmed appointment tomorrow not yet
    reminded of; a lost or failed run is caught up by the next, and each reminder goes out once."""
    due = selectors.reminders_due(now=timezone.now())
    for booking_id in due:
        send_notification.apply_async(args=["booking_reminder", booking_id])
    return len(due)


@app.task(name="appointments.sweep")
def sweep() -> int:
    """Queue the e-mails a broker outage, a database restart or a killed worker left unsent in this municipality."""
    now = timezone.now()
    owed = selectors.mails_unsent(settled=now - timedelta(seconds=settings.AMTSPLATZ_SWEEP_AFTER_SECONDS), now=now)
    for kind, object_id in owed:
        send_notification.apply_async(args=[kind, object_id])
    if owed:
        logger.info("Queued %d appointment e-mails left unsent", len(owed))
    return len(owed)
