"""An appointment as an iCalendar file (RFC 5545, written by the ``icalendar`` library)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icalendar import Calendar as ICalendar
from icalendar import Event

from appointments.models import Booking

if TYPE_CHECKING:
    from appointments.selectors import BookingDetails


def booking_ics(booking: Booking, details: BookingDetails) -> bytes:
    calendar = ICalendar()
    calendar.add("prodid", "-//Amtsplatz//Termine//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.public_id}@amtsplatz")
    event.add("dtstamp", booking.created)
    event.add("dtstart", booking.start)
    event.add("dtend", booking.end)
    event.add("summary", f"{details.office_name}: {', '.join(details.service_names)}")
    event.add("location", details.address)
    if details.bring:
        event.add("description", details.bring)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
