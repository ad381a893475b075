"""Moving an appointment by its e-mail link (details kept, old time freed) and the per-device limit on reservations."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.infra import antispam
from appointments import selectors, services
from appointments.errors import BookingError
from appointments.forms import POW_SALT
from appointments.models import Booking, SlotLoad
from tenants.models import Municipality
from tests.appointments.conftest import calendar, next_weekday

pytestmark = pytest.mark.django_db
SERVICE = "meldebescheinigung"


def _client() -> Client:
    """A browser with an address of its own: the per-device counters live in Redis beyond one test."""
    return Client(HTTP_HOST="gera.localhost", REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def _booked(cal: Any) -> dict[datetime, int]:
    with schema_context("gera"):
        return dict(SlotLoad.objects.filter(calendar=cal).values_list("start", "booked"))


def test_moving_by_the_link_keeps_the_details_and_frees_the_old_time(
    gera: Municipality, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    cal = calendar("gera", "Bürgerbüro Umbuchen", services=(SERVICE,))
    tuesday = next_weekday(1)
    with schema_context("gera"):
        first, second, third = selectors.availability(cal, minutes=15, first=tuesday, days=1)[0].starts[:3]
        booking = services.booking_reserve(calendar=cal, start=first, service_keys=[SERVICE], email="u@example.org",
                                           name="Uta Umbucher")  # fmt: skip
        services.booking_confirm(token=booking.token)
        other = services.booking_reserve(calendar=cal, start=third, service_keys=[SERVICE], email="o@example.org")
    client = _client()
    manage = f"/termine/termin/{booking.token}/?tag={tuesday.isoformat()}"
    page = client.get(manage).content.decode()
    assert f'value="{second.isoformat()}"' in page and f'value="{third.isoformat()}"' not in page  # taken: not offered
    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(manage, {"start": second.isoformat()})
    assert moved.status_code == 302
    with schema_context("gera"):
        now = Booking.objects.get(pk=booking.pk)
    assert (now.start, now.status, now.name, now.email, now.service_keys) == (
        second, Booking.Status.CONFIRMED, "Uta Umbucher", "u@example.org", [SERVICE]
    )  # fmt: skip
    assert _booked(cal) == {first: 0, second: 1, third: 1}
    assert mail.outbox and mail.outbox[-1].to == ["u@example.org"] and mail.outbox[-1].attachments  # a new .ics
    refused = client.post(manage, {"start": third.isoformat()})  # not among the free times: the form refuses it
    assert refused.status_code == 400
    with schema_context("gera"):
        assert Booking.objects.get(pk=booking.pk).start == second
        with pytest.raises(BookingError):  # the service checks the horizon too, not only the page
            services.booking_move(token=booking.token, start=second + timedelta(days=cal.horizon_days + 7))
        with pytest.raises(BookingError):  # an unconfirmed reservation is not moved
            services.booking_move(token=other.token, start=first)
    assert _booked(cal) == {first: 0, second: 1, third: 1}


def test_reservations_are_limited_per_device_with_a_message_and_nothing_stored(
    gera: Municipality, settings: Any
) -> None:
    settings.AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR = 2
    cal = calendar("gera", "Bürgerbüro Gerät", services=(SERVICE,), max_per_email=5)
    client = _client()
    url = f"/termine/buchen/{cal.office.slug}/?leistung={SERVICE}&tag={next_weekday(2).isoformat()}"

    def reserve(n: int) -> Any:
        html = client.get(url).content.decode()
        challenge = re.search(r'name="pow_challenge" value="([^"]+)"', html)
        starts = re.findall(r'name="start" value="([^"]+)"', html)
        assert challenge and starts
        return client.post(url, {"pow_challenge": challenge.group(1), "start": starts[n], "website": "",
                                 "pow_nonce": antispam.solve(challenge.group(1), salt=POW_SALT),
                                 "name": f"Person {n}", "email": f"person{n}@example.org"})  # fmt: skip

    assert [reserve(n).status_code for n in range(2)] == [302, 302]
    refused = reserve(2)
    assert refused.status_code == 429 and refused["Retry-After"] and 'role="alert"' in refused.content.decode()
    with schema_context("gera"):
        assert Booking.objects.filter(calendar=cal).count() == 2
    other = _client()  # another device is not affected
    html = other.get(url).content.decode()
    assert 'name="start"' in html
    api = Client(HTTP_HOST="gera.localhost", REMOTE_ADDR=client.defaults["REMOTE_ADDR"])
    challenge = api.get("/api/v1/appointments/challenge").json()["challenge"]
    with schema_context("gera"):
        free = next(s for day in selectors.availability(cal, minutes=15, days=30) for s in day.starts[5:6])
    payload = {"office": cal.office.slug, "services": [SERVICE], "start": free.isoformat(),
               "email": "api-geraet@example.org", "pow_challenge": challenge,
               "pow_nonce": antispam.solve(challenge, salt=POW_SALT)}  # fmt: skip
    answer = api.post("/api/v1/appointments/reservations", payload, content_type="application/json")
    assert answer.status_code == 429 and answer.json()["detail"]  # the API counts the same device
