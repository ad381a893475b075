"""E-mails of appointments in the municipality's branding: confirm link, confirmation with .ics, reminder."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from appointments import selectors
from appointments.ics import booking_ics
from appointments.models import Booking, HomeVisitRequest, VisitBooking
from tenants.context import municipality_base_url
from tenants.db import current_municipality
from tenants.tasks import enqueue_on_commit
from themes.mail import branded_mail_send


def _link(name: str, booking: Booking) -> str:
    with translation.override(booking.language):
        path = reverse(name, kwargs={"token": booking.token})
    return municipality_base_url(current_municipality()) + path


def _send(booking: Booking, template: str, *, with_ics: bool = False) -> None:
    details = selectors.booking_details(booking, booking.language)
    attachments = [("termin.ics", booking_ics(booking, details), "text/calendar")] if with_ics else []
    branded_mail_send(
        template=template,
        context={
            "booking": booking,
            "details": details,
            "confirm_link": _link("appointments:confirm", booking),
            "manage_link": _link("appointments:manage", booking),
        },
        recipient=booking.email,
        language=booking.language,
        attachments=attachments,
    )


def reservation_received(booking_id: int) -> None:
    """Ask to confirm the reservation by its link (held for the calendar's hold time)."""
    _send(Booking.objects.select_related("calendar__office").get(pk=booking_id), "appointments/email/confirm.txt")


def booking_confirmed(booking_id: int) -> None:
    """What, when, where, what to bring; the .ics file; the link to cancel or move."""
    booking = Booking.objects.select_related("calendar__office").get(pk=booking_id)
    _send(booking, "appointments/email/confirmed.txt", with_ics=True)


def booking_reminder(booking_id: int) -> None:
    booking = Booking.objects.select_related("calendar__office").get(pk=booking_id)
    _send(booking, "appointments/email/reminder.txt", with_ics=True)


def _visit_send(booking: VisitBooking, template: str) -> None:
    with translation.override(booking.language):
        confirm = reverse("appointments:visit-confirm", kwargs={"token": booking.token})
        manage = reverse("appointments:visit-manage", kwargs={"token": booking.token})
    base = municipality_base_url(current_municipality())
    branded_mail_send(
        template=template,
        context={
            "booking": booking,
            "visit": booking.visit,
            "confirm_link": base + confirm,
            "manage_link": base + manage,
        },
        recipient=booking.email,
        language=booking.language,
    )


def visit_reserved(booking_id: int) -> None:
    """Ask to confirm the place at a mobile-service visit by its link."""
    _visit_send(VisitBooking.objects.select_related("visit").get(pk=booking_id), "appointments/email/visit_confirm.txt")


def visit_confirmed(booking_id: int) -> None:
    booking = VisitBooking.objects.select_related("visit").get(pk=booking_id)
    _visit_send(booking, "appointments/email/visit_confirmed.txt")


def home_visit_received(request_id: int) -> None:
    """Tell the office (its e-mail address) that someone asks for a home visit; the answer is given in /cms/."""
    request = HomeVisitRequest.objects.select_related("office").get(pk=request_id)
    if request.office.email:
        branded_mail_send(
            template="appointments/email/home_visit_office.txt",
            context={"request": request, "cms_link": municipality_base_url(current_municipality()) + "/cms/"},
            recipient=request.office.email,
            language="de",
        )


def home_visit_reply(request_id: int) -> None:
    request = HomeVisitRequest.objects.select_related("office").get(pk=request_id)
    branded_mail_send(
        template="appointments/email/home_visit_reply.txt",
        context={"request": request},
        recipient=request.email,
        language=request.language,
    )


SENDERS = {
    "reservation_received": reservation_received,
    "booking_confirmed": booking_confirmed,
    "booking_reminder": booking_reminder,
    "visit_reserved": visit_reserved,
    "visit_confirmed": visit_confirmed,
    "home_visit_received": home_visit_received,
    "home_visit_reply": home_visit_reply,
}


def queue(kind: str, booking_id: int) -> None:
    """After commit, let a worker send the e-mail; when the broker is down, send it right away (once either way)."""
    from appointments.services import notification_send

    enqueue_on_commit(
        "appointments.send_notification",
        [kind, booking_id],
        what=f"the {kind} e-mail",
        fallback=lambda: notification_send(kind=kind, object_id=booking_id),
    )
