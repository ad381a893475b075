"""Background work of appointments; every task runs in the schema it was queued from (or fanned out to)."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from amtsplatz.celery import app
from appointments import services, slots
from appointments.models import Booking


@app.task(name="appointments.send_notification", acks_late=True)
def send_notification(kind: str, booking_id: int) -> None:
    """Send one appointment e-mail (see appointments.notifications)."""
    from appointments.notifications import SENDERS

    SENDERS[kind](booking_id)


@app.task(name="appointments.release_reservations")
def release_reservations() -> int:
    """Every minute, per municipality: reservations (office slots, visit places) not confirmed in time are released."""
    return services.reservations_release() + services.visit_reservations_release()


@app.task(name="appointments.send_reminders")
def send_reminders() -> int:
    """Once a day, per municipality: remind everyone with a confirmed appointment tomorrow, exactly once."""
    from appointments.notifications import booking_reminder

    tomorrow = timezone.localdate() + timedelta(days=1)
    start = slots.local_instant(tomorrow, time(0))
    end = slots.local_instant(tomorrow + timedelta(days=1), time(0))
    sent = 0
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, reminded_at__isnull=True, start__gte=start, start__lt=end
    ).exclude(email="")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Marked in the same transaction: a duplicated or retried task finds it reminded already.
            if Booking.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                booking_reminder(pk)
                sent += 1
    return sent
