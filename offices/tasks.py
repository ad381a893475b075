"""Background work of offices; every task runs in the schema it was queued from (or fanned out to)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from amtsplatz.celery import app
from offices import selectors, services

logger = logging.getLogger(__name__)
MAIL_GIVE_UP_DAYS = 3  # the sweep stops re-sending after this; the request stays listed in /cms/


# A database restart or a mail server away is retried with growing pauses (about 1, 2, 4 … s up to 5 minutes);
# what is still unsent after that, or lost with the broker's queue, the sweep queues again.
@app.task(
    name="offices.send_contact_mails",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
)
def send_contact_mails(request_id: int) -> int:
    """Send the office's copy and the citizen's confirmation of one contact request, each once."""
    return services.contact_mails_send(request_id=request_id)


@app.task(name="offices.contact_sweep")
def contact_sweep() -> int:
    """Per municipality: queue the contact mails a fault left unsent; delete requests past their retention."""
    now = timezone.now()
    settled = now - timedelta(seconds=settings.AMTSPLATZ_SWEEP_AFTER_SECONDS)
    owed = selectors.contact_requests_unmailed(settled=settled, since=now - timedelta(days=MAIL_GIVE_UP_DAYS))
    for request_id in owed:
        send_contact_mails.apply_async(args=[request_id])
    if owed:
        logger.info("Queued the e-mails of %d contact requests left unsent", len(owed))
    services.contact_requests_purge()
    return len(owed)
