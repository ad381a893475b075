"""At the counter: the day per counter, check-in, call next, no-show, walk-ins, statistics; the waiting-room display."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appointments import kiosk, selectors, services
from appointments.errors import BookingError
from appointments.models import Booking, Calendar, Counter, KioskDevice

View = Callable[..., HttpResponse]
PERMISSION = "appointments.change_booking"
STATISTICS_DAYS = 30


def counter_staff(view: View) -> View:
    """Staff of the municipality with the permission to work appointments; others log in or get 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_staff and request.user.has_perm(PERMISSION)):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except BookingError as error:
            messages.error(request, str(error.message))
            return redirect(request.get_full_path())

    return wrapper


def _calendar(office: str) -> Calendar:
    return get_object_or_404(Calendar.objects.select_related("office"), office__slug=office)


@counter_staff
def overview(request: HttpRequest) -> HttpResponse:
    calendars = Calendar.objects.select_related("office").order_by("office__name")
    return render(request, "appointments/staff/overview.html", {"calendars": calendars})


@counter_staff
def day(request: HttpRequest, office: str) -> HttpResponse:
    """The day of an office: appointments by time, the waiting list, a call-next button per counter."""
    calendar = _calendar(office)
    try:
        shown = date.fromisoformat(request.GET.get("tag", ""))
    except ValueError:
        shown = timezone.localdate()
    bookings = list(selectors.bookings_of_day(calendar, shown))
    context = {
        "calendar": calendar,
        "office": calendar.office,
        "day": shown,
        "appointments": [b for b in bookings if not b.walk_in],
        "waiting": [b for b in bookings if b.status == Booking.Status.WAITING],
        "counters": calendar.counters.all(),
        "queue": selectors.queue_state(calendar),
        "previous": shown - timedelta(days=1),
        "next": shown + timedelta(days=1),
        "services": selectors.bookable_services(),
    }
    return render(request, "appointments/staff/day.html", context)


@counter_staff
@require_POST
def act(request: HttpRequest, office: str, pk: int, action: str) -> HttpResponse:
    """Check in, served, no-show for one booking of the office."""
    calendar = _calendar(office)
    booking = get_object_or_404(Booking, pk=pk, calendar=calendar)
    if action == "check-in":
        booking = services.check_in(booking=booking)
        messages.success(request, _("Checked in: ticket %(ticket)s.") % {"ticket": booking.ticket})
    elif action == "done":
        services.booking_finish(booking=booking, status=Booking.Status.DONE)
    elif action == "no-show":
        services.booking_finish(booking=booking, status=Booking.Status.NO_SHOW)
    else:
        return HttpResponse(_("Unknown action."), status=400)
    return redirect("appointments:counter-day", office=office)


@counter_staff
@require_POST
def call_next(request: HttpRequest, office: str) -> HttpResponse:
    calendar = _calendar(office)
    counter = get_object_or_404(Counter, pk=request.POST.get("counter") or 0, calendar=calendar)
    called = services.call_next(counter=counter)
    if called is None:
        messages.info(request, _("Nobody is waiting."))
    else:
        messages.success(
            request, _("%(ticket)s called to %(counter)s.") % {"ticket": called.ticket, "counter": counter}
        )
    return redirect("appointments:counter-day", office=office)


@counter_staff
@require_POST
def walk_in(request: HttpRequest, office: str) -> HttpResponse:
    calendar = _calendar(office)
    offered = {s.key for s in selectors.bookable_services()}
    keys = [key for key in request.POST.getlist("leistung") if key in offered]
    booking = services.walk_in_add(calendar=calendar, service_keys=keys)
    messages.success(request, _("Walk-in ticket %(ticket)s issued.") % {"ticket": booking.ticket})
    return redirect("appointments:counter-day", office=office)


@counter_staff
def statistics(request: HttpRequest, office: str) -> HttpResponse:
    """Bookings, no-show rate and waiting time of the last 30 days, per service."""
    calendar = _calendar(office)
    since = timezone.now() - timedelta(days=STATISTICS_DAYS)
    rows = selectors.statistics(calendar, since=since)
    return render(request, "appointments/staff/statistics.html", {"calendar": calendar, "rows": rows, "since": since})


@counter_staff
def terminals(request: HttpRequest, office: str) -> HttpResponse:
    """The office's kiosk terminals: add one (its activation link is shown here), revoke one."""
    calendar = _calendar(office)
    if not request.user.has_perm("appointments.add_kioskdevice"):
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("revoke"):
            KioskDevice.objects.filter(calendar=calendar, pk=request.POST["revoke"]).update(revoked_at=timezone.now())
        elif name := request.POST.get("name", "").strip()[:100]:
            KioskDevice.objects.create(calendar=calendar, name=name)
        return redirect("appointments:counter-terminals", office=office)
    devices = [
        (device, reverse("appointments:kiosk-activate", kwargs={"token": kiosk.device_token(device)}))
        for device in calendar.kiosks.filter(revoked_at__isnull=True).order_by("name")
    ]
    return render(request, "appointments/staff/terminals.html", {"calendar": calendar, "devices": devices})


def display(request: HttpRequest, office: str) -> HttpResponse:
    """The waiting-room screen: called numbers in large type; updates itself and announces each new call."""
    calendar = _calendar(office)
    return render(
        request, "appointments/display.html", {"calendar": calendar, "queue": selectors.queue_state(calendar)}
    )


def display_state(request: HttpRequest, office: str) -> JsonResponse:
    return JsonResponse(selectors.queue_state(_calendar(office)))
