"""Background work: reminders the day before (exactly once), release of unconfirmed reservations, the API."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from amtsplatz.infra import antispam
from appointments import selectors, services, slots, tasks
from appointments.forms import POW_SALT
from appointments.models import Booking, Calendar, SentMail, SlotLoad
from tenants.models import Municipality
from tests.appointments.conftest import calendar

pytestmark = pytest.mark.django_db
SERVICE = "meldebescheinigung"


def test_reminder_goes_out_the_day_before_exactly_once(gera: Municipality, tasks_inline: None) -> None:
    cal = calendar("gera", "Bürgerbüro Erinnerung", services=(SERVICE,))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with schema_context("gera"):
        due = Booking.objects.create(calendar=cal, start=slots.local_instant(tomorrow, time(10)), email="m@example.org",
                                     service_keys=[SERVICE], status=Booking.Status.CONFIRMED)  # fmt: skip
        Booking.objects.create(calendar=cal, start=slots.local_instant(tomorrow + timedelta(days=1), time(10)),
                               email="later@example.org", status=Booking.Status.CONFIRMED)  # fmt: skip
        Booking.objects.create(calendar=cal, start=slots.local_instant(tomorrow, time(11)), email="gone@example.org",
                               status=Booking.Status.CANCELLED)  # fmt: skip
        assert tasks.send_reminders() == 1
        assert tasks.send_reminders() == 0  # the next hourly run (or a duplicated one) sends nothing twice
        tasks.send_notification.apply_async(args=["booking_reminder", due.pk])  # a redelivered task
        due.refresh_from_db()
        assert due.reminded_at is not None
    assert [m.to for m in mail.outbox] == [["m@example.org"]]
    assert f"/termine/termin/{due.token}/" in mail.outbox[0].body and mail.outbox[0].attachments


def test_api_availability_reserve_confirm_cancel(gera: Municipality, wurzen: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro API", services=(SERVICE,))
    api = Client(HTTP_HOST="gera.localhost")
    offices = api.get("/api/v1/appointments/offices").json()
    assert any(o["slug"] == cal.office.slug and o["services"][0]["key"] == SERVICE for o in offices)
    found = api.get(f"/api/v1/appointments/offices/{cal.office.slug}/availability", {"services": SERVICE, "days": "7"})
    assert found.status_code == 200
    start = next(day["starts"][0] for day in found.json()["days"] if day["starts"])
    challenge = api.get("/api/v1/appointments/challenge").json()["challenge"]
    payload = {"office": cal.office.slug, "services": [SERVICE], "start": start, "email": "api@example.org",
               "pow_challenge": challenge, "pow_nonce": antispam.solve(challenge, salt=POW_SALT)}  # fmt: skip
    created = api.post("/api/v1/appointments/reservations", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "reserved" and "token" not in created.json()
    replay = api.post("/api/v1/appointments/reservations", payload, content_type="application/json")
    assert replay.status_code == 403  # a solved challenge counts once
    challenge = api.get("/api/v1/appointments/challenge").json()["challenge"]
    second = {**payload, "email": "zwei@example.org", "pow_challenge": challenge,
              "pow_nonce": antispam.solve(challenge, salt=POW_SALT)}  # fmt: skip
    taken = api.post("/api/v1/appointments/reservations", second, content_type="application/json")
    assert taken.status_code == 409 and taken.json()["next_free"]
    assert (
        api.post(
            "/api/v1/appointments/reservations", {"office": cal.office.slug}, content_type="application/json"
        ).status_code
        == 422
    )
    with schema_context("gera"):
        token = Booking.objects.get(calendar=cal, email="api@example.org").token
    assert (
        Client(HTTP_HOST="wurzen.localhost").post(f"/api/v1/appointments/bookings/{token}/confirm").status_code == 404
    )
    assert api.post(f"/api/v1/appointments/bookings/{token}/confirm").json()["status"] == "confirmed"
    assert api.post(f"/api/v1/appointments/bookings/{token}/cancel").json()["status"] == "cancelled"
    with schema_context("gera"):
        assert set(SlotLoad.objects.filter(calendar=cal).values_list("booked", flat=True)) == {0}
    assert api.get("/api/v1/appointments/offices/gibt-es-nicht/availability", {"services": SERVICE}).status_code == 404
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/appointments/reservations" in schema["paths"]


def test_released_reservations_free_the_time_for_the_next_citizen(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Freigabe", services=(SERVICE,), hold_minutes=2)
    with schema_context("gera"):
        start = selectors.availability(cal, minutes=15)[2].starts[0]
        Booking.objects.create(calendar=cal, start=start, email="x@example.org",
                               expires_at=timezone.now() - timedelta(minutes=1))  # fmt: skip
        SlotLoad.objects.create(calendar=cal, start=start, capacity=1, booked=1)
        assert (
            start
            not in selectors.availability(cal, minutes=15, first=timezone.localtime(start).date(), days=1)[0].starts
        )
        assert tasks.release_reservations() >= 1
        assert (
            start in selectors.availability(cal, minutes=15, first=timezone.localtime(start).date(), days=1)[0].starts
        )


def test_api_bad_input_is_4xx_with_a_message(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro API Eingaben", services=(SERVICE,))
    api = Client(HTTP_HOST="gera.localhost")
    base = {"office": cal.office.slug, "services": [SERVICE], "email": "a@example.org", "pow_challenge": "x",
            "pow_nonce": "1"}  # fmt: skip
    cases = [
        ({**base, "start": "kein-datum"}, 422),
        ({**base, "start": "2030-01-07T09:00:00+01:00", "services": []}, 422),  # schema-valid, refused by a rule
        ({**base, "start": "2030-01-07T09:00:00+01:00", "email": "keine-adresse"}, 422),
        ({**base, "start": "2030-01-07T09:00:00+01:00"}, 403),  # the anti-spam check is not solved
        ({**base, "start": "2030-01-07T09:00:00+01:00", "office": "gibt-es-nicht"}, 404),
    ]
    for payload, status in cases:
        answer = api.post("/api/v1/appointments/reservations", payload, content_type="application/json")
        assert answer.status_code == status, (payload, answer.content)
        assert answer.json()["detail"]
    path = f"/api/v1/appointments/offices/{cal.office.slug}/availability"
    assert api.get(path, {"services": SERVICE, "days": "viele"}).status_code == 422
    assert api.get(path, {"services": "gibt-es-nicht"}).json()["errors"]["services"]
    assert api.post("/api/v1/appointments/bookings/unbekannt/cancel").status_code == 404
    with schema_context("gera"):
        assert not Booking.objects.filter(calendar=cal).exists()


def _confirmed(cal: Calendar, email: str, *, ago: timedelta) -> Booking:
    start = slots.local_instant(timezone.localdate() + timedelta(days=3), time(10))
    return Booking.objects.create(calendar=cal, start=start, email=email, service_keys=[SERVICE],
                                  status=Booking.Status.CONFIRMED, confirmed_at=timezone.now() - ago)  # fmt: skip


def test_a_redelivered_confirmation_task_sends_once(gera: Municipality, tasks_inline: None) -> None:
    cal = calendar("gera", "Bürgerbüro Zustellung", services=(SERVICE,))
    with schema_context("gera"):
        booking = _confirmed(cal, "einmal@example.org", ago=timedelta(0))
        assert tasks.send_notification.apply_async(args=["booking_confirmed", booking.pk]).get() is True
        assert tasks.send_notification.apply_async(args=["booking_confirmed", booking.pk]).get() is False
        assert SentMail.objects.filter(kind="booking_confirmed", object_id=booking.pk).count() == 1
    assert [m.to for m in mail.outbox] == [["einmal@example.org"]] and mail.outbox[0].attachments


def test_the_sweeper_sends_confirmations_a_fault_left_unsent_once(gera: Municipality, tasks_inline: None) -> None:
    cal = calendar("gera", "Bürgerbüro Nachholen", services=(SERVICE,))
    with schema_context("gera"):
        lost = _confirmed(cal, "verloren@example.org", ago=timedelta(minutes=10))
        _confirmed(cal, "unterwegs@example.org", ago=timedelta(seconds=1))  # its task may still be on its way
        # The mail server (here: nothing listening) refuses: nothing is recorded, the mail is still owed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                               EMAIL_PORT=9, EMAIL_TIMEOUT=2), pytest.raises(OSError):  # fmt: skip
            services.notification_send(kind="booking_confirmed", object_id=lost.pk)
        assert not SentMail.objects.filter(object_id=lost.pk).exists()
        assert tasks.sweep() == 1
        assert tasks.sweep() == 0
    assert [m.to for m in mail.outbox] == [["verloren@example.org"]]


def test_a_moved_appointment_gets_a_new_confirmation_and_reminder(
    gera: Municipality, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    cal = calendar("gera", "Bürgerbüro Verlegung", services=(SERVICE,))
    with schema_context("gera"):
        booking = _confirmed(cal, "verlegt@example.org", ago=timedelta(days=1))
        services.notification_send(kind="booking_confirmed", object_id=booking.pk)
        services.notification_send(kind="booking_reminder", object_id=booking.pk)
        later = selectors.availability(cal, minutes=15)[4].starts[0]
        with django_capture_on_commit_callbacks(execute=True):
            services.booking_move(token=booking.token, start=later)
        assert not SentMail.objects.filter(kind="booking_reminder", object_id=booking.pk).exists()
        assert tasks.sweep() == 0  # the move's own confirmation went out
    assert [m.to for m in mail.outbox] == [["verlegt@example.org"]] * 3


def test_mail_records_stay_in_their_municipality(gera: Municipality, wurzen: Municipality, tasks_inline: None) -> None:
    cal = calendar("gera", "Bürgerbüro Getrennt", services=(SERVICE,))
    with schema_context("gera"):
        booking = _confirmed(cal, "getrennt@example.org", ago=timedelta(minutes=10))
    with schema_context("wurzen"):
        assert tasks.sweep() == 0  # another municipality's sweeper neither sees nor sends it
        assert not SentMail.objects.exists()
    with schema_context("gera"):
        assert tasks.sweep() == 1
        assert SentMail.objects.filter(kind="booking_confirmed", object_id=booking.pk).exists()
