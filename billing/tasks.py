"""Celery entry points for Stripe events (platform schema)."""

from __future__ import annotations

from celery import shared_task

from billing.services import event_process


@shared_task(
    name="billing.process_stripe_event", acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8
)
def process_stripe_event(record_id: int) -> None:
    event_process(record_id)
