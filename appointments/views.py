"""Booking without an account: services → office → day and time → e-mail link; then cancel or move by link."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amtsplatz.infra import ratelimit
from amtsplatz.infra.security.client_address import client_address
from appointments import selectors, services
from appointments.errors import BookingError, SlotTaken
from appointments.forms import BookingForm, MoveForm, ServicesForm
from appointments.ics import booking_ics
from appointments.models import Booking, Calendar

View = Callable[..., HttpResponse]
DAYS_SHOWN = 14
RESERVATIONS_UNCHECKED = 2  # per hour from browsers without the anti-spam check (ADR 0068)


def _language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


def refusing(view: View) -> View:
    """A booking error becomes a page that says what happened and what to do (4xx, never a 500)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ratelimit.RateLimited as limited:
            response = render(
                request,
                "appointments/refused.html",
                {"message": None, "minutes": max(limited.retry_after // 60, 1)},
                status=429,
            )
            response["Retry-After"] = str(limited.retry_after)
            return response
        except BookingError as error:
            return render(request, "appointments/refused.html", {"message": error.message}, status=error.status)

    return wrapper


def _chosen(request: HttpRequest) -> list[str]:
    keys = [key for key in request.GET.getlist("leistung") if key]
    offered = {service.key for service in selectors.bookable_services()}
    return [key for key in dict.fromkeys(keys) if key in offered]


def start(request: HttpRequest) -> HttpResponse:
    """Step 1: which services (several may go into one appointment)."""
    choices = [(s.key, s.name) for s in selectors.bookable_services(_language(request))]
    form = ServicesForm(request.GET or None, choices=choices)
    if form.is_bound and form.is_valid():
        query = urlencode({"leistung": form.cleaned_data["leistung"]}, doseq=True)
        return redirect(f"{reverse('appointments:offices')}?{query}")
    return render(request, "appointments/start.html", {"form": form, "has_services": bool(choices)})


def offices(request: HttpRequest) -> HttpResponse:
    """Step 2: the offices that provide all chosen services; the responsible one first."""
    keys = _chosen(request)
    if not keys:
        return redirect("appointments:start")
    calendars = selectors.calendars_for(keys)
    query = urlencode({"leistung": keys}, doseq=True)
    return render(request, "appointments/offices.html", {"calendars": calendars, "query": query, "keys": keys})


def _day(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("tag", ""))
    except ValueError:
        return None


@refusing
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, office: str) -> HttpResponse:
    """Step 3: a day (links, two weeks per page) and a free time (radio buttons), name and e-mail."""
    calendar = get_object_or_404(Calendar.objects.select_related("office"), office__slug=office, active=True)
    keys = _chosen(request)
    minutes = selectors.offered_minutes(calendar, keys)
    if minutes is None:
        raise BookingError(_("This office does not offer appointments for these services. Please start again."))
    first = _day(request) or timezone.localdate()
    days = selectors.availability(calendar, minutes=minutes, first=first, days=DAYS_SHOWN)
    chosen = next((d for d in days if d.day == _day(request) and d.starts), None) or next(
        (d for d in days if d.starts), None
    )
    form = BookingForm(request.POST or None, starts=chosen.starts if chosen else [])
    if request.method == "POST" and form.is_valid():
        if form.automated:
            raise BookingError(
                _("Your request looks automated and was not accepted. Please fill in only the visible fields.")
            )
        device = ratelimit.address_key(client_address(request))
        limit = settings.AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR if form.checked else RESERVATIONS_UNCHECKED
        ratelimit.count(f"appointments:rl:device:{device}", limit=limit, window_seconds=3600)
        try:
            booking = services.booking_reserve(
                calendar=calendar,
                start=form.start_value(),
                service_keys=keys,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                language=_language(request),
                device=device,
                citizen_id=request.user.pk if request.user.is_authenticated else None,
            )
        except SlotTaken as taken:
            return render(
                request,
                "appointments/taken.html",
                {"alternatives": taken.alternatives, "calendar": calendar, "query": _query(keys)},
                status=409,
            )
        return redirect("appointments:reserved", public_id=booking.public_id)
    context = {
        "calendar": calendar,
        "office": calendar.office,
        "days": days,
        "chosen": chosen,
        "form": form,
        "query": _query(keys),
        "minutes": minutes,
        "services": [s for s in selectors.bookable_services(_language(request)) if s.key in keys],
        "earlier": first - timedelta(days=DAYS_SHOWN) if first > timezone.localdate() else None,
        "later": first + timedelta(days=DAYS_SHOWN),
    }
    return render(request, "appointments/book.html", context, status=400 if form.errors else 200)


def _query(keys: list[str]) -> str:
    return urlencode({"leistung": keys}, doseq=True)


def reserved(request: HttpRequest, public_id: str) -> HttpResponse:
    booking = get_object_or_404(Booking.objects.select_related("calendar__office"), public_id=public_id)
    if booking.status != Booking.Status.RESERVED:
        raise Http404
    return render(request, "appointments/reserved.html", {"booking": booking})


def _booking(token: str) -> Booking:
    return get_object_or_404(Booking.objects.select_related("calendar__office"), token=token)


@refusing
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link: a page with one button (mail scanners open links; only a person confirms)."""
    booking = _booking(token)
    if request.method == "POST":
        services.booking_confirm(token=token)
        return redirect("appointments:manage", token=token)
    details = selectors.booking_details(booking, _language(request))
    return render(request, "appointments/confirm.html", {"booking": booking, "details": details})


@refusing
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The appointment behind its link: details, .ics, cancel, move to another time."""
    booking = _booking(token)
    details = selectors.booking_details(booking, _language(request))
    chosen = None
    form = None
    days: list[selectors.Day] = []
    if booking.status == Booking.Status.CONFIRMED:
        first = _day(request) or timezone.localdate()
        days = selectors.availability(booking.calendar, minutes=booking.minutes, first=first, days=DAYS_SHOWN)
        chosen = next((d for d in days if d.day == _day(request) and d.starts), None)
        form = MoveForm(request.POST or None, starts=chosen.starts if chosen else [])
        if request.method == "POST" and form.is_valid():
            try:
                services.booking_move(token=token, start=datetime.fromisoformat(form.cleaned_data["start"]))
            except SlotTaken as taken:
                return render(
                    request,
                    "appointments/taken.html",
                    {"alternatives": taken.alternatives, "calendar": booking.calendar, "query": "", "move": booking},
                    status=409,
                )
            return redirect("appointments:manage", token=token)
    context = {"booking": booking, "details": details, "days": days, "chosen": chosen, "form": form}
    return render(request, "appointments/manage.html", context, status=400 if form and form.errors else 200)


@refusing
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    _booking(token)  # 404 for a token of nobody here (another municipality's included)
    services.booking_cancel(token=token)
    return redirect("appointments:manage", token=token)


def ics(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking(token)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    content = booking_ics(booking, selectors.booking_details(booking, _language(request)))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="termin.ics"'
    return response
