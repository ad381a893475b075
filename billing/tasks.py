"""Celery entry points for Stripe events (platform schema)."""

from __future__ import annotations

from celery import shared_task

from billing.services import event_process
from billing.subscriptions import suspend_overdue


@shared_task(
    name="billing.process_stripe_event", acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8
)
def process_stripe_event(record_id: int) -> None:
    event_process(record_id)


@shared_task(name="billing.suspend_overdue")
def suspend_overdue_task() -> int:
    """Suspend the municipalities whose subscription stayed past due beyond the grace period."""
    return suspend_overdue()
