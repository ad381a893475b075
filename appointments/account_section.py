"""Appointments' section of the citizen's "Mein Konto": their bookings, also those made as a guest with the
account's address, with their status."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from appointments.models import Booking
from appointments.personal_data import belongs_to
from citizens.registry import AccountItem, AccountSection


def items(user: User) -> list[AccountItem]:
    bookings = (
        Booking.objects.filter(belongs_to(user), start__isnull=False)
        .exclude(status=Booking.Status.EXPIRED)
        .select_related("calendar__office")
        .order_by("-start")
    )
    return [
        AccountItem(
            title=booking.calendar.office.name,
            status=str(booking.get_status_display()),
            url=reverse("appointments:manage", kwargs={"token": booking.token}),
            when=booking.start,
        )
        for booking in bookings
    ]


SECTION = AccountSection(key="appointments", title=_("My appointments"), items=items, order=20)
