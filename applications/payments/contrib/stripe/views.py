"""The citizen's return from Stripe Checkout on the municipality's host."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amtsplatz.infra.stripe_gateway import PaymentServiceError
from applications.models import Payment
from applications.payments.contrib.stripe.checkout import PROVIDER_KEY, checkout_settle
from tenants.db import current_municipality


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
