"""The appointment API of a municipality's host: offices, availability, reserve / confirm / cancel.

For a municipality's own app or a kiosk vendor. A reservation needs a solved proof-of-work challenge (like
the booking page) and is confirmed with the token from the e-mail: the API never hands out a booking's
token, so an address must be real to hold a time beyond the hold period.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from amtsplatz.infra import antispam, ratelimit
from amtsplatz.infra.api_errors import ApiError, StrictIn
from amtsplatz.infra.security.client_address import client_address
from appointments import selectors, services
from appointments.errors import BookingError, SlotTaken
from appointments.forms import POW_BITS, POW_SALT
from appointments.models import Booking, Calendar

router = Router(tags=["appointments"])
MAX_DAYS = 62
NOT_OFFERED = gettext_noop("This office does not offer appointments for these services.")


class BookableServiceOut(Schema):
    key: str
    name: str


class AppointmentOfficeOut(Schema):
    slug: str
    name: str
    street: str
    postcode: str
    city: str
    services: list[BookableServiceOut]
    waiting_minutes: int | None = Field(None, description="Current waiting time at the counter, when known")


class DayOut(Schema):
    day: date
    starts: list[datetime]
    closed_reason: str | None = Field(None, description="Why the office is closed (holiday, closure); null: open")


class AvailabilityOut(Schema):
    office: str
    minutes: int = Field(..., description="Length of one appointment for all chosen services together")
    days: list[DayOut]


class ChallengeOut(Schema):
    challenge: str = Field(..., description="Find a nonce so that SHA-256(challenge ':' nonce) starts with bits zeros")
    bits: int


class ReservationIn(StrictIn):
    office: str
    services: list[str]
    start: datetime
    email: str
    name: str = ""
    language: str = "de"
    pow_challenge: str
    pow_nonce: str


class BookingOut(Schema):
    id: str
    office: str
    start: datetime | None
    minutes: int
    services: list[str]
    status: str
    expires_at: datetime | None = Field(None, description="A reservation is released at this time unless confirmed")


class BookingErrorOut(ApiError):
    next_free: list[datetime] = Field([], description="The next free start times when the chosen one was taken")


def _language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


def _out(booking: Booking) -> BookingOut:
    return BookingOut(
        id=str(booking.public_id),
        office=booking.calendar.office.slug,
        start=booking.start,
        minutes=booking.minutes,
        services=list(booking.service_keys),
        status=booking.status,
        expires_at=booking.expires_at if booking.status == Booking.Status.RESERVED else None,
    )


@router.get("/appointments/offices", response=list[AppointmentOfficeOut], summary="Offices that take appointments")
def office_list(request: HttpRequest) -> list[AppointmentOfficeOut]:
    services_by_key = {s.key: s for s in selectors.bookable_services(_language(request))}
    result = []
    for calendar in Calendar.objects.filter(active=True).select_related("office").order_by("office__name"):
        keys = calendar.office.services.filter(enabled=True).values_list("definition__key", flat=True)
        office = calendar.office
        result.append(
            AppointmentOfficeOut(
                slug=office.slug,
                name=office.name,
                street=office.street,
                postcode=office.postcode,
                city=office.city,
                services=[
                    BookableServiceOut(key=k, name=services_by_key[k].name) for k in keys if k in services_by_key
                ],
                waiting_minutes=selectors.waiting_minutes(calendar),
            )
        )
    return result


@router.get(
    "/appointments/offices/{slug}/availability",
    response={200: AvailabilityOut, 404: ApiError, 422: ApiError},
    summary="Free start times per day for one or more services",
    description="404: no such office takes appointments; 422: the office does not offer these services.",
)
def availability(
    request: HttpRequest,
    slug: str,
    services: list[str] = Query(..., description="Catalogue keys of the services, one or more"),  # noqa: B008
    first: date | None = None,
    days: int = Query(14, ge=1, le=MAX_DAYS, description="How many days from `first` (default: today)"),
) -> tuple[int, Any] | HttpResponse:
    calendar = get_object_or_404(Calendar, office__slug=slug, active=True)
    minutes = selectors.offered_minutes(calendar, services)
    if minutes is None:
        return 422, ApiError(detail=_(NOT_OFFERED), errors={"services": [_(NOT_OFFERED)]})
    found = selectors.availability_text(calendar, minutes=minutes, first=first, days=days)
    # Up to ~2,000 start times, cached as the texts JSON carries (tested against AvailabilityOut): encoding
    # them value by value through the schema cost more than the rest of the request.
    body = {
        "office": slug,
        "minutes": minutes,
        "days": [{"day": d.day.isoformat(), "starts": d.starts, "closed_reason": d.closed_reason} for d in found],
    }
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")


@router.get("/appointments/challenge", response=ChallengeOut, summary="A proof-of-work challenge for a reservation")
def challenge(request: HttpRequest) -> ChallengeOut:
    return ChallengeOut(challenge=antispam.challenge_issue(salt=POW_SALT, bits=POW_BITS), bits=POW_BITS)


@router.post(
    "/appointments/reservations",
    response={201: BookingOut, 403: ApiError, 404: ApiError, 409: BookingErrorOut, 422: ApiError, 429: ApiError},
    summary="Reserve a time; the e-mail's link or token confirms it",
    description=(
        "403: the proof-of-work check failed; 404: no such office takes appointments; 409: the time was just taken "
        "(`next_free` lists the next free times); 422: an invalid e-mail address, services the office does not "
        "offer, or a time that cannot be booked; 429: too many reservations from this device."
    ),
)
def reserve(request: HttpRequest, payload: ReservationIn) -> tuple[int, Any]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    calendar = get_object_or_404(Calendar.objects.select_related("office"), office__slug=payload.office, active=True)
    try:
        validate_email(payload.email)
    except ValidationError:
        message = _("Please enter a valid e-mail address.")
        return 422, ApiError(detail=message, errors={"email": [message]})
    if not payload.services or calendar not in selectors.calendars_for(payload.services):
        return 422, ApiError(detail=_(NOT_OFFERED), errors={"services": [_(NOT_OFFERED)]})
    if not antispam.solution_valid(
        payload.pow_challenge, payload.pow_nonce, salt=POW_SALT, spent_prefix="appointments"
    ):
        return 403, ApiError(detail=_("The anti-spam check failed: fetch a new challenge and solve it."))
    device = ratelimit.address_key(client_address(request))
    try:
        limit = settings.AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR
        ratelimit.count(f"appointments:rl:device:{device}", limit=limit, window_seconds=3600)
        booking = services.booking_reserve(
            calendar=calendar,
            start=payload.start if payload.start.tzinfo else timezone.make_aware(payload.start),
            service_keys=payload.services,
            email=payload.email,
            name=payload.name,
            language="en" if payload.language == "en" else "de",
            device=device,
        )
    except ratelimit.RateLimited:
        return 429, ApiError(detail=_("Too many reservations from this device. Please try again later."))
    except SlotTaken as taken:
        return 409, BookingErrorOut(detail=str(taken.message), next_free=taken.alternatives)
    except BookingError as error:  # a time that cannot be booked (400 in the service layer) or a limit
        return (422 if error.status == 400 else error.status), ApiError(detail=str(error.message))
    return 201, _out(booking)


@router.get("/appointments/bookings/{token}", response={200: BookingOut, 404: ApiError}, summary="A booking")
def booking_get(request: HttpRequest, token: str) -> BookingOut:
    return _out(get_object_or_404(Booking.objects.select_related("calendar__office"), token=token))


@router.post(
    "/appointments/bookings/{token}/confirm",
    response={200: BookingOut, 404: ApiError, 409: ApiError},
    summary="Confirm a reservation with the token from the e-mail",
    description="409: the reservation cannot be confirmed any more (released, cancelled or past).",
)
def booking_confirm(request: HttpRequest, token: str) -> tuple[int, Any]:
    get_object_or_404(Booking, token=token)
    try:
        return 200, _out(services.booking_confirm(token=token))
    except BookingError as error:
        return 409, ApiError(detail=str(error.message))


@router.post(
    "/appointments/bookings/{token}/cancel",
    response={200: BookingOut, 404: ApiError, 409: ApiError},
    summary="Cancel a booking; the time is free again at once",
    description="409: the booking cannot be cancelled any more (already cancelled, or past).",
)
def booking_cancel(request: HttpRequest, token: str) -> tuple[int, Any]:
    get_object_or_404(Booking, token=token)
    try:
        return 200, _out(services.booking_cancel(token=token))
    except BookingError as error:
        return 409, ApiError(detail=str(error.message))
