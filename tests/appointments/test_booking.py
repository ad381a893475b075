"""Booking without an account through the pages: reserve, confirm by e-mail link, .ics, cancel; limits; isolation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.infra import antispam
from appointments import selectors, services
from appointments.forms import POW_SALT
from appointments.models import Booking, SlotLoad
from tenants.models import Municipality
from tests.appointments.conftest import calendar

pytestmark = pytest.mark.django_db
SERVICES = ("wohnsitz-anmeldung", "meldebescheinigung")


def _form(client: Client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    html = page.content.decode()
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', html)
    first = re.search(r'name="start" value="([^"]+)"', html)
    assert challenge and first
    return {"pow_challenge": challenge.group(1), "pow_nonce": antispam.solve(challenge.group(1), salt=POW_SALT),
            "start": first.group(1), "website": ""}  # fmt: skip


def _link(pattern: str, body: str) -> str:
    found = re.search(r"http://[^/\s]+(" + pattern + r"[^\s]*)", body)
    assert found, body
    return found.group(1)


def test_book_confirm_by_link_and_cancel(
    gera: Municipality, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    cal = calendar("gera", "Bürgerbüro Markt", services=SERVICES)
    client = Client(HTTP_HOST="gera.localhost")
    start = client.get("/termine/")
    assert start.status_code == 200 and "Wohnsitz" in start.content.decode()
    chosen = client.get("/termine/", {"leistung": list(SERVICES)})
    assert chosen.status_code == 302
    offices = client.get(chosen["Location"])
    assert "Bürgerbüro Markt" in offices.content.decode()
    url = f"/termine/buchen/{cal.office.slug}/?leistung={SERVICES[0]}&leistung={SERVICES[1]}"
    data = _form(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        reserved = client.post(url, {**data, "name": "Erika Muster", "email": "Erika@Example.org"})
    assert reserved.status_code == 302, reserved.content.decode()[:2000]
    assert client.get(reserved["Location"]).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["erika@example.org"]
    confirm = _link("/termine/bestaetigen/", str(mail.outbox[0].body))
    with schema_context("gera"):
        booking = Booking.objects.get(calendar=cal)
        assert booking.status == Booking.Status.RESERVED and booking.minutes == 30
    assert client.get(confirm).status_code == 200  # a mail scanner opening the link confirms nothing
    with schema_context("gera"):
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.RESERVED
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm).status_code == 302
    confirmation = mail.outbox[1]
    assert "Markt 1, 07545 Gera" in confirmation.body
    with schema_context("gera"):
        bring = selectors.bookable_services()[0].bring
    assert bring and bring.splitlines()[0] in confirmation.body
    ics_name, ics, mimetype = confirmation.attachments[0]
    assert ics_name == "termin.ics" and mimetype == "text/calendar" and "BEGIN:VEVENT" in str(ics)
    manage = _link("/termine/termin/", str(confirmation.body))
    assert client.get(manage + "termin.ics").status_code == 200
    assert client.post(manage + "absagen/").status_code == 302
    with schema_context("gera"):
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
        assert set(SlotLoad.objects.filter(calendar=cal).values_list("booked", flat=True)) == {0}


def test_a_gera_booking_link_does_nothing_on_wurzens_host(gera: Municipality, wurzen: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Isolation", services=SERVICES[:1])
    with schema_context("gera"):
        booking = services.booking_reserve(calendar=cal, start=selectors.availability(cal, minutes=15)[2].starts[0],
                                           service_keys=[SERVICES[0]], email="a@example.org")  # fmt: skip
    wurzen_client = Client(HTTP_HOST="wurzen.localhost")
    paths = [
        f"/termine/bestaetigen/{booking.token}/",
        f"/termine/termin/{booking.token}/",
        f"/termine/reserviert/{booking.public_id}/",
        f"/termine/buchen/{cal.office.slug}/?leistung={SERVICES[0]}",
    ]
    for path in paths:
        assert wurzen_client.get(path).status_code in (400, 404), path
        assert wurzen_client.post(path).status_code in (400, 403, 404, 405), path
    assert wurzen_client.post(f"/termine/termin/{booking.token}/absagen/").status_code == 404
    with schema_context("gera"):
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.RESERVED


def test_bad_input_gets_4xx_with_a_message_and_stores_nothing(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Eingaben", services=SERVICES[:1])
    client = Client(HTTP_HOST="gera.localhost")
    url = f"/termine/buchen/{cal.office.slug}/?leistung={SERVICES[0]}"
    data = _form(client, url)
    assert client.get(url + "&tag=kein-datum").status_code == 200
    assert client.get(f"/termine/buchen/{cal.office.slug}/?leistung=gibt-es-nicht").status_code == 400
    assert client.get("/termine/bestaetigen/unbekannt/").status_code == 404
    assert client.post("/termine/termin/unbekannt/absagen/").status_code == 404
    bad = client.post(url, {**data, "start": "2020-01-01T09:00:00+00:00", "name": "X", "email": "x@example.org"})
    assert bad.status_code == 400
    no_mail = client.post(url, {**_form(client, url), "name": "X", "email": "keine-adresse"})
    assert no_mail.status_code == 400
    bot = client.post(url, {**_form(client, url), "name": "X", "email": "x@example.org", "website": "spam"})
    assert (
        bot.status_code == 400 and "automated" in bot.content.decode().lower()
    ) or "automatisiert" in bot.content.decode()
    with schema_context("gera"):
        assert not Booking.objects.filter(calendar=cal).exists()


def test_limits_per_email_address(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Limits", services=SERVICES[:1], max_per_email=1)
    client = Client(HTTP_HOST="gera.localhost")
    url = f"/termine/buchen/{cal.office.slug}/?leistung={SERVICES[0]}"
    assert client.post(url, {**_form(client, url), "name": "A", "email": "a@example.org"}).status_code == 302
    second = client.post(url, {**_form(client, url), "name": "A", "email": "A@example.org"})
    assert second.status_code == 429
    with schema_context("gera"):
        assert Booking.objects.filter(calendar=cal).count() == 1
