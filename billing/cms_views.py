"""The municipality's own subscription page in /cms/ (its administrators only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from amtsplatz.infra.stripe_gateway import PaymentServiceError
from billing.selectors import invoices_of, subscription_of
from billing.subscriptions import portal_url
from tenants.db import current_municipality


@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest) -> HttpResponse:
    """Plan, state and invoices of this municipality; POST opens Stripe's customer portal."""
    if not request.user.is_superuser:
        raise PermissionDenied
    municipality = current_municipality()
    if request.method == "POST":
        try:
            return redirect(portal_url(municipality=municipality, return_url=request.build_absolute_uri()))
        except PaymentServiceError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    context = {
        "municipality": municipality,
        "subscription": subscription_of(municipality),
        "invoices": invoices_of(municipality)[:24],
    }
    return render(request, "billing/cms/subscription.html", context)
