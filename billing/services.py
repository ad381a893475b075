"""Writes for Stripe events: record each event once, then apply it once."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from amtsplatz.infra.stripe_events import handler_for
from billing.models import StripeEvent
from tenants.tasks import task_named

logger = logging.getLogger(__name__)


def event_record(*, event: dict[str, Any], endpoint: str) -> tuple[StripeEvent, bool]:
    """Store a verified event unless its id is known; returns (event, whether it is new).

    A redelivered event finds its row and is not processed again.
    """
    record, created = StripeEvent.objects.get_or_create(
        event_id=event["id"],
        defaults={
            "endpoint": endpoint,
            "type": event["type"],
            "account": event.get("account") or "",
            "livemode": bool(event.get("livemode")),
            "payload": event,
        },
    )
    if created:
        transaction.on_commit(lambda: _queue(record.pk))
    return record, created


def _queue(record_id: int) -> None:
    try:
        task_named("billing.process_stripe_event").apply_async(args=(record_id,), retry=False)
    except Exception:  # the broker is down: process now, the event is stored either way
        logger.warning("Could not queue Stripe event %s; processing it in the request", record_id, exc_info=True)
        event_process(record_id)


def event_process(record_id: int) -> None:
    """Apply a stored event once: its effect and the processed mark commit together."""
    with transaction.atomic():
        record = StripeEvent.objects.select_for_update().get(pk=record_id)
        if record.processed_at is not None:
            return
        handler = handler_for(record.endpoint, record.type)
        if handler is None:
            logger.info("Stripe event %s of type %s acknowledged; nothing to do", record.event_id, record.type)
        else:
            handler(record)
        record.processed_at = timezone.now()
        record.save(update_fields=["processed_at"])
