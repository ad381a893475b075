"""Mobile citizen service on the portal: visits to book like office slots, and requests for a home visit."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amtsplatz.infra import ratelimit
from amtsplatz.infra.security.client_address import client_address
from appointments import selectors, services
from appointments.errors import BookingError
from appointments.forms import HomeVisitForm, VisitBookingForm
from appointments.models import VisitBooking
from appointments.views import RESERVATIONS_UNCHECKED, _language, refusing
from offices.models import Office


def visits(request: HttpRequest) -> HttpResponse:
    """Where the mobile citizen service goes next, with free places; the way to ask for a home visit."""
    shown = [(visit, selectors.visit_services(visit, _language(request))) for visit in selectors.upcoming_visits()]
    return render(request, "appointments/visits/list.html", {"visits": shown})


@refusing
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit: address, time window, services, free places; the booking form."""
    chosen = get_object_or_404(selectors.upcoming_visits(), pk=pk)
    choices = selectors.visit_services(chosen, _language(request))
    form = VisitBookingForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        if form.automated:
            raise BookingError(
                _("Your request looks automated and was not accepted. Please fill in only the visible fields.")
            )
        device = ratelimit.address_key(client_address(request))
        limit = settings.AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR if form.checked else RESERVATIONS_UNCHECKED
        ratelimit.count(f"appointments:rl:device:{device}", limit=limit, window_seconds=3600)
        booking = services.visit_reserve(
            visit=chosen,
            service_keys=form.cleaned_data["leistung"],
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            language=_language(request),
            device=device,
            citizen_id=request.user.pk if request.user.is_authenticated else None,
        )
        return render(request, "appointments/visits/reserved.html", {"booking": booking, "visit": chosen})
    context = {
        "visit": chosen,
        "services": choices,
        "note": chosen.note(_language(request)),
        "free": chosen.free_places,
        "form": form,
    }
    return render(request, "appointments/visits/detail.html", context, status=400 if form.errors else 200)


def _booking(token: str) -> VisitBooking:
    return get_object_or_404(VisitBooking.objects.select_related("visit__office"), token=token)


@refusing
@require_http_methods(["GET", "POST"])
def visit_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link: a page with one button (mail scanners open links; only a person confirms)."""
    booking = _booking(token)
    if request.method == "POST":
        services.visit_confirm(token=token)
        return redirect("appointments:visit-manage", token=token)
    return render(request, "appointments/visits/confirm.html", {"booking": booking, "visit": booking.visit})


def visit_manage(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking(token)
    return render(request, "appointments/visits/manage.html", {"booking": booking, "visit": booking.visit})


@refusing
@require_POST
def visit_cancel(request: HttpRequest, token: str) -> HttpResponse:
    _booking(token)  # 404 for a token of nobody here (another municipality's included)
    services.visit_cancel(token=token)
    return redirect("appointments:visit-manage", token=token)


@refusing
@require_http_methods(["GET", "POST"])
def home_visit(request: HttpRequest) -> HttpResponse:
    """A short request for a home visit, for people who cannot leave home; the office replies by e-mail."""
    offices = selectors.home_visit_offices()
    choices = [(s.key, s.name) for s in selectors.bookable_services(_language(request))]
    form = HomeVisitForm(request.POST or None, offices=offices, choices=choices)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            raise BookingError(
                _("Your request looks automated and was not accepted. Please fill in only the visible fields.")
            )
        device = ratelimit.address_key(client_address(request))
        ratelimit.count(f"appointments:rl:home-visit:{device}", limit=RESERVATIONS_UNCHECKED, window_seconds=3600)
        data = form.cleaned_data
        services.home_visit_request(
            office=get_object_or_404(Office, slug=data["office"]),
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            street=data["street"],
            postcode=data["postcode"],
            city=data["city"],
            service_keys=data["leistung"],
            message=data["message"],
            language=_language(request),
            citizen_id=request.user.pk if request.user.is_authenticated else None,
        )
        return render(request, "appointments/visits/home_visit_sent.html", {"email": data["email"]})
    context = {"form": form, "has_offices": bool(offices)}
    return render(request, "appointments/visits/home_visit.html", context, status=400 if form.errors else 200)
