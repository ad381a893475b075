"""Stripe's webhook endpoints on the platform host (verify, record once, answer fast) and the citizen's
return from Stripe Checkout on the municipality's host."""

from __future__ import annotations

import logging
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from amtsplatz.stripe_gateway import PaymentServiceError, WebhookNotConfigured, WebhookRefused, webhook_event
from applications.models import Payment
from billing.connect import PROVIDER_KEY, checkout_settle
from billing.services import event_record
from tenants.db import current_municipality

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


@require_GET
def stripe_return(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    """Back from Stripe Checkout: settle at once from Stripe's own record (the webhook may come later)."""
    payment = get_object_or_404(
        Payment.objects.select_related("application"), public_id=payment_id, provider=PROVIDER_KEY
    )
    next_url = request.GET.get("next", "")
    if not (next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None)):
        next_url = reverse("applications:status", kwargs={"token": payment.application.access_token})
    if payment.status != Payment.State.PENDING or not payment.provider_reference:
        return redirect(next_url)
    try:
        settled = checkout_settle(
            account_id=current_municipality().stripe_account_id, session_id=payment.provider_reference
        )
    except PaymentServiceError as error:
        messages.warning(request, error.message)
    else:
        if settled:
            messages.success(request, _("Thank you, your payment has been received."))
        else:
            messages.info(request, _("Your payment is being confirmed; this page shows it as soon as it arrives."))
    return redirect(next_url)
