"""Appointments' part of a citizen's data: listed for the account, exported with "my data", erased with it.

A citizen's appointments are those booked while logged in, and those booked as a guest with the account's
(verified) e-mail address — office slots, places at mobile-service visits and home-visit requests alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Booking, HomeVisitRequest, VisitBooking
from citizens.registry import PersonalDataHandler
from citizens.selectors import iso


def belongs_to(user: User) -> Q:
    """Bookings made while logged in, and guest bookings with the account's (verified) address."""
    email = str(getattr(user, "email", "") or "")
    guest = Q(citizen_id__isnull=True, email__iexact=email) if email else Q(pk__in=[])
    return Q(citizen_id=user.pk) | guest


def export(user: User) -> dict[str, Any]:
    bookings = Booking.objects.filter(belongs_to(user)).select_related("calendar__office").order_by("start", "created")
    visits = VisitBooking.objects.filter(belongs_to(user)).select_related("visit").order_by("visit__day", "created")
    requests = HomeVisitRequest.objects.filter(belongs_to(user)).select_related("office").order_by("created")
    return {
        "appointments": [
            {
                "office": booking.calendar.office.name,
                "start": iso(booking.start),
                "minutes": booking.minutes,
                "services": booking.service_keys,
                "status": booking.status,
                "walk_in": booking.walk_in,
                "ticket": booking.ticket,
                "name": booking.name,
                "email": booking.email,
                "created": iso(booking.created),
            }
            for booking in bookings
        ],
        "mobile_service": [
            {
                "place": booking.visit.place,
                "day": iso(booking.visit.day),
                "from": booking.visit.start.isoformat(timespec="minutes"),
                "until": booking.visit.end.isoformat(timespec="minutes"),
                "services": booking.service_keys,
                "status": booking.status,
                "name": booking.name,
                "email": booking.email,
                "created": iso(booking.created),
            }
            for booking in visits
        ],
        "home_visit_requests": [
            {
                "office": request.office.name,
                "name": request.name,
                "email": request.email,
                "phone": request.phone,
                "address": f"{request.street}, {request.postcode} {request.city}",
                "services": request.service_keys,
                "message": request.message,
                "created": iso(request.created),
                "reply": request.reply,
                "replied": iso(request.replied_at),
            }
            for request in requests
        ],
    }


def erase(user: User) -> None:
    """Past appointments keep only what the statistics count; upcoming ones stay booked, without the account."""
    now = timezone.now()
    Booking.objects.filter(belongs_to(user)).filter(Q(start__lt=now) | Q(start__isnull=True)).update(
        name="", email="", citizen_id=None
    )
    Booking.objects.filter(citizen_id=user.pk).update(citizen_id=None)
    VisitBooking.objects.filter(belongs_to(user)).filter(visit__day__lt=timezone.localdate(now)).update(
        name="", email="", citizen_id=None
    )
    VisitBooking.objects.filter(citizen_id=user.pk).update(citizen_id=None)
    HomeVisitRequest.objects.filter(belongs_to(user)).delete()


HANDLER = PersonalDataHandler(
    key="appointments",
    export=export,
    erase=erase,
    erasure_note=_(
        "Upcoming appointments stay booked (cancel them with the link in their e-mail); past ones are kept "
        "without your name and address, for the office's statistics."
    ),
)
