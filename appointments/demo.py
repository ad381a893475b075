"""Demo appointments for ``make demo``: a calendar for each citizens' office, a day at the counter, a kiosk.

Run inside a municipality's schema after the offices demo (``offices.demo.offices_demo_ensure``); idempotent.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from appointments import selectors, services
from appointments.models import (
    Booking,
    Calendar,
    Counter,
    HomeVisitRequest,
    KioskDevice,
    ServiceDuration,
    Staffing,
    Visit,
)
from offices.base import OfficeKind
from offices.models import Office

# Local appointment lengths where the 15-minute default is too short (identity documents need fingerprints).
DURATIONS = {"personalausweis": 20, "reisepass": 20, "wohnsitz-anmeldung": 15, "kfz-zulassung": 30}
COUNTERS = {"gera": 3, "wurzen": 2, "augustusburg": 1}


def appointments_demo_ensure(slug: str) -> None:
    """Calendars with counters staffed during the offices' opening hours, a few bookings, a called number."""
    for office in Office.objects.filter(kind=OfficeKind.CITIZENS_OFFICE).prefetch_related("opening_intervals"):
        calendar, created = Calendar.objects.get_or_create(office=office, defaults={"lead_minutes": 60})
        if not created:
            continue
        for number in range(1, COUNTERS.get(slug, 1) + 1):
            counter = Counter.objects.create(calendar=calendar, name=f"Schalter {number}")
            Staffing.objects.bulk_create(
                Staffing(counter=counter, weekday=item.weekday, start=item.opens, end=item.closes, capacity=1)
                for item in office.opening_intervals.all()
                if item.closes > item.opens and _on_grid(item.opens) and _on_grid(item.closes)
            )
        offered = set(office.services.values_list("definition__key", flat=True))
        ServiceDuration.objects.bulk_create(
            ServiceDuration(calendar=calendar, service_key=key, minutes=minutes)
            for key, minutes in DURATIONS.items()
            if key in offered
        )
        KioskDevice.objects.create(calendar=calendar, name="Terminal im Foyer")
        _bookings(calendar, sorted(offered))
    visits_demo_ensure()


def visits_demo_ensure() -> None:
    """Two visits of the mobile citizen service (a care home, the university) and a home-visit request."""
    office = Office.objects.filter(kind=OfficeKind.CITIZENS_OFFICE).order_by("name").first()
    if office is None or Visit.objects.exists():
        return
    today = timezone.localdate()
    offered = list(office.services.filter(definition__key__in=["personalausweis", "reisepass", "wohnsitz-ummeldung"]))
    for place, street, days, capacity in (
        ("Seniorenheim Am Park", "Parkstraße 4", 9, 8),
        ("Hochschule, Foyer Hauptgebäude", "Hochschulweg 1", 16, 40),
    ):
        visit = Visit.objects.create(
            office=office, place=place, street=street, postcode=office.postcode, city=office.city,
            day=today + timedelta(days=days), start=time(10), end=time(13), capacity=capacity,
            note_de="Bitte bringen Sie Ihre bisherigen Ausweisdokumente mit.",
            note_en="Please bring your current identity documents.",
        )  # fmt: skip
        visit.services.set(offered)
        visit.save()
    HomeVisitRequest.objects.create(
        office=office, name="Helga Beispiel", email="helga@example.org", street="Lindenweg 3",
        postcode=office.postcode, city=office.city, service_keys=[local.definition.key for local in offered[:1]],
        message="Ich bin nach einer Operation bettlägerig und brauche einen neuen Personalausweis.",
    )  # fmt: skip


def _on_grid(at: time) -> bool:
    return at.minute % 15 == 0


def _bookings(calendar: Calendar, keys: list[str]) -> None:
    """Three appointments on the next open days, one checked in and called so the display shows a number."""
    if not keys:
        return
    now = timezone.now()
    free = [start for day in selectors.availability(calendar, minutes=15, days=14, now=now) for start in day.starts]
    people = [
        ("Erika Mustermann", "erika@example.org"),
        ("Max Muster", "max@example.org"),
        ("Aylin Demir", "aylin@example.org"),
    ]
    for (name, email), start in zip(people, free[::7], strict=False):
        booking = services.booking_reserve(
            calendar=calendar, start=start, service_keys=keys[:1], email=email, name=name, now=now
        )
        services.booking_confirm(token=booking.token)
    first = Booking.objects.filter(calendar=calendar, status=Booking.Status.CONFIRMED).order_by("start").first()
    if first is not None:
        services.check_in(booking=first)
        counter = calendar.counters.order_by("name").first()
        if counter is not None:
            services.call_next(counter=counter, now=now)
