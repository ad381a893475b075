"""Stripe's webhook endpoints on the platform host: verify, record once, answer fast."""

from __future__ import annotations

import logging

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amtsplatz.infra.stripe_gateway import WebhookNotConfigured, WebhookRefused, webhook_event
from billing.services import event_record

logger = logging.getLogger(__name__)


def _receive(request: HttpRequest, endpoint: str) -> JsonResponse:
    try:
        event = webhook_event(request.body, request.headers.get("Stripe-Signature"), endpoint)
    except WebhookNotConfigured as missing:
        logger.error("Stripe webhook %s received, but %s is not set", endpoint, missing)
        return JsonResponse({"detail": _("Payments are not configured on this installation.")}, status=503)
    except WebhookRefused as refused:
        logger.warning("Stripe webhook %s refused: %s", endpoint, refused)
        return JsonResponse(
            {"detail": _("This request is not a genuine Stripe event (its signature does not match).")}, status=400
        )
    record, created = event_record(event=event, endpoint=endpoint)
    return JsonResponse({"received": record.event_id, "duplicate": not created})


@csrf_exempt
@require_POST
def platform_webhook(request: HttpRequest) -> JsonResponse:
    """Events of the platform's own account (billing of the municipalities)."""
    return _receive(request, "platform")


@csrf_exempt
@require_POST
def connect_webhook(request: HttpRequest) -> JsonResponse:
    """Events of the municipalities' connected accounts (citizen fees)."""
    return _receive(request, "connect")
