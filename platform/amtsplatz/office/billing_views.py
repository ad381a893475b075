"""The office's billing pages on the platform host: plans, subscriptions, invoices, Connect onboarding."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtsplatz.core.access import office_permission_required
from amtsplatz.infra.stripe_gateway import PaymentServiceError
from amtsplatz.office.forms import BillingSearchForm
from amtsplatz.office.selectors import PAGE_SIZE, municipality_search
from billing.connect import account_refresh, onboarding_link
from billing.forms import ConnectForm, PlanForm, SubscribeForm
from billing.models import Plan
from billing.selectors import billing_filter, billing_rows, billing_totals, invoices_of, subscription_of
from billing.subscriptions import plan_for, subscription_start
from tenants.models import Municipality

BILLING = "billing.change_subscription"


@office_permission_required(BILLING)
def overview(request: HttpRequest) -> HttpResponse:
    """The municipalities' plans, subscriptions and citizen payments, a page at a time, searchable and filtered,
    with totals over everything the filter matches.

    The number of queries does not depend on the number of municipalities (tests/office/test_pages_at_scale.py).
    """
    form = BillingSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "name"
    municipalities = billing_filter(
        municipality_search(query=filters.get("q", ""), state=filters.get("state", ""), sort=sort),
        subscription=filters.get("subscription", ""),
        unpaid=bool(filters.get("unpaid")),
    )
    page = Paginator(municipalities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": billing_rows(page.object_list),
        "totals": billing_totals(municipalities),
        "sort": sort,
        "searched": any(filters.get(name) for name in ("q", "state", "subscription", "unpaid")),
        "plans": Plan.objects.all(),
    }
    return render(request, "billing/office/overview.html", context, status=400 if form.errors else 200)


@office_permission_required(BILLING)
def plan_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    plan = get_object_or_404(Plan, key=key) if key else None
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Plan saved. New subscriptions use it; running ones keep their price."))
        return redirect("office-billing")
    return render(request, "billing/office/plan_edit.html", {"form": form, "plan": plan})


def _detail_url(municipality: Municipality) -> str:
    return reverse("office-billing-municipality", kwargs={"slug": municipality.slug})


@office_permission_required(BILLING)
def municipality_billing(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    subscription = subscription_of(municipality)
    suggested = plan_for(municipality.inhabitants or 0)
    subscribe_form = SubscribeForm(
        initial={"plan": subscription.plan if subscription else suggested, "billing_email": ""}
    )
    context = {
        "municipality": municipality,
        "subscription": subscription,
        "invoices": invoices_of(municipality),
        "subscribe_form": subscribe_form,
        "connect_form": ConnectForm(),
    }
    return render(request, "billing/office/municipality.html", context)


@require_POST
@office_permission_required(BILLING)
def subscribe(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a plan and enter the e-mail address for invoices."))
        return redirect(_detail_url(municipality))
    try:
        subscription_start(
            municipality=municipality, plan=form.cleaned_data["plan"], billing_email=form.cleaned_data["billing_email"]
        )
    except PaymentServiceError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is subscribed; Stripe sends the invoices.") % {"name": municipality.name})
    return redirect(_detail_url(municipality))


@require_POST
@office_permission_required(BILLING)
def connect_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Create the municipality's Stripe account (once) and send the office to Stripe's onboarding."""
    municipality = get_object_or_404(Municipality, slug=slug)
    form = ConnectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the e-mail address of the municipality's treasury."))
        return redirect(_detail_url(municipality))
    back = request.build_absolute_uri(reverse("office-billing-connect-return", kwargs={"slug": slug}))
    try:
        url = onboarding_link(
            municipality=municipality, email=form.cleaned_data["email"], refresh_url=back, return_url=back
        )
    except PaymentServiceError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(municipality))
    return redirect(url)


@office_permission_required(BILLING)
def connect_return(request: HttpRequest, slug: str) -> HttpResponse:
    """Back from Stripe's onboarding: read the account's state."""
    municipality = get_object_or_404(Municipality, slug=slug)
    try:
        ready = account_refresh(municipality)
    except PaymentServiceError as error:
        messages.error(request, error.message)
    else:
        if ready:
            messages.success(request, _("The account can take payments; citizens can now pay online."))
        else:
            messages.info(request, _("Stripe still needs information; continue the onboarding when it is at hand."))
    return redirect(_detail_url(municipality))
