"""Mobile citizen service: visits booked like office slots (places enforced by PostgreSQL), home-visit requests."""

from __future__ import annotations

import re
import uuid
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.infra import antispam
from appointments import services
from appointments.errors import VisitFull
from appointments.forms import POW_SALT
from appointments.models import HomeVisitRequest, Visit, VisitBooking
from offices.models import Office
from tenants.models import Municipality
from tests.appointments.conftest import calendar

pytestmark = pytest.mark.django_db
SERVICES = ("personalausweis", "wohnsitz-ummeldung")


def visit(schema: str, *, capacity: int = 2, place: str = "Seniorenheim Am Park") -> Visit:
    cal = calendar(schema, f"Bürgerbüro {place}", services=SERVICES)
    with schema_context(schema):
        created = Visit.objects.create(
            office=cal.office, place=place, street="Parkstraße 4", postcode="07545", city="Gera",
            day=date.today() + timedelta(days=5), start=time(10), end=time(12), capacity=capacity,
        )  # fmt: skip
        created.services.set(cal.office.services.all())
        created.save()
        return created


def _citizen() -> Client:
    """A browser with an address of its own: the per-address limits count in Redis beyond one test."""
    return Client(HTTP_HOST="gera.localhost", REMOTE_ADDR=f"2001:db8::{uuid.uuid4().hex[:4]}")


def _link(pattern: str, body: str) -> str:
    found = re.search(r"http://[^/\s]+(" + pattern + r"[^\s]*)", body)
    assert found, body
    return found.group(1)


def test_book_a_visit_confirm_by_link_and_cancel(
    gera: Municipality, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    planned = visit("gera")
    client = _citizen()
    listing = client.get("/termine/mobil/").content.decode()
    assert "Seniorenheim Am Park" in listing and "2 Plätze" in listing
    url = f"/termine/mobil/{planned.pk}/"
    html = client.get(url).content.decode()
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', html)
    assert challenge
    data = {"pow_challenge": challenge.group(1), "pow_nonce": antispam.solve(challenge.group(1), salt=POW_SALT),
            "website": "", "leistung": [SERVICES[0]], "name": "Erika Muster", "email": "erika@example.org"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        reserved = client.post(url, data)
    assert reserved.status_code == 200 and "Bitte per E-Mail bestätigen" in reserved.content.decode()
    confirm = _link("/termine/mobil/bestaetigen/", str(mail.outbox[0].body))
    assert client.get(confirm).status_code == 200  # opening the link confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm).status_code == 302
    with schema_context("gera"):
        booking = VisitBooking.objects.get(visit=planned)
        assert booking.status == VisitBooking.Status.CONFIRMED
        assert Visit.objects.get(pk=planned.pk).booked == 1
    manage = _link("/termine/mobil/platz/", str(mail.outbox[1].body))
    assert "Parkstraße 4" in mail.outbox[1].body
    assert client.post(manage + "absagen/").status_code == 302
    with schema_context("gera"):
        assert Visit.objects.get(pk=planned.pk).booked == 0
    again = client.post(url, {**data, "email": "erika@example.org"})
    assert again.status_code == 200  # the place was freed; the same address may book again


def test_the_database_refuses_a_place_beyond_capacity_and_the_last_place_is_answered_409(gera: Municipality) -> None:
    planned = visit("gera", capacity=1)
    with schema_context("gera"):
        services.visit_reserve(visit=planned, service_keys=[SERVICES[0]], email="a@example.org", name="A")
        with pytest.raises(VisitFull):
            services.visit_reserve(visit=planned, service_keys=[SERVICES[0]], email="b@example.org", name="B")
        with pytest.raises(IntegrityError), transaction.atomic():  # whatever the code does
            Visit.objects.filter(pk=planned.pk).update(booked=F("booked") + 1)
        assert VisitBooking.objects.filter(visit=planned).count() == 1
    page = Client(HTTP_HOST="gera.localhost").get(f"/termine/mobil/{planned.pk}/").content.decode()
    assert "Alle Plätze dieses Besuchs sind vergeben" in page


def test_unconfirmed_places_are_released(gera: Municipality) -> None:
    planned = visit("gera", capacity=1)
    with schema_context("gera"):
        booking = services.visit_reserve(visit=planned, service_keys=[SERVICES[0]], email="a@example.org", name="A")
        VisitBooking.objects.filter(pk=booking.pk).update(expires_at=booking.created - timedelta(minutes=1))
        assert services.visit_reservations_release() == 1
        assert Visit.objects.get(pk=planned.pk).booked == 0


def test_home_visit_request_reaches_the_office_and_its_reply_the_citizen(
    gera: Municipality, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    planned = visit("gera")
    with schema_context("gera"):
        Office.objects.filter(pk=planned.office_id).update(email="buergerbuero@gera.example")
    client = _citizen()
    assert client.get("/en/termine/hausbesuch/").status_code == 200
    refused = client.post("/termine/hausbesuch/", {"office": planned.office.slug, "postcode": "123"})
    assert refused.status_code == 400
    data = {"office": planned.office.slug, "leistung": [SERVICES[0]], "name": "Helga Beispiel",
            "email": "helga@example.org", "phone": "", "street": "Lindenweg 3", "postcode": "07545",
            "city": "Gera", "message": "Bettlägerig nach einer Operation.", "website": ""}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/termine/hausbesuch/", data)
    assert sent.status_code == 200 and "helga@example.org" in sent.content.decode()
    assert mail.outbox[-1].to == ["buergerbuero@gera.example"] and "Lindenweg 3" in mail.outbox[-1].body
    with schema_context("gera"):
        request = HomeVisitRequest.objects.get()
    staff = Client(HTTP_HOST="gera.localhost")
    assert (
        staff.post("/cms/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"}).status_code
        == 302
    )
    edit = f"/cms/snippets/appointments/homevisitrequest/edit/{request.pk}/"
    assert "Bettlägerig" in staff.get(edit).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        replied = staff.post(edit, {"reply": "Wir kommen am Dienstag um 10 Uhr."})
    assert replied.status_code == 302, replied.content.decode()[:2000]
    assert mail.outbox[-1].to == ["helga@example.org"] and "Dienstag um 10 Uhr" in mail.outbox[-1].body
    count = len(mail.outbox)
    staff.post(edit, {"reply": "Wir kommen am Dienstag um 10 Uhr."})
    assert len(mail.outbox) == count  # the reply goes out once


def test_nothing_of_geras_mobile_service_is_reachable_from_wurzen(gera: Municipality, wurzen: Municipality) -> None:
    planned = visit("gera")
    with schema_context("gera"):
        booking = services.visit_reserve(visit=planned, service_keys=[SERVICES[0]], email="a@example.org", name="A")
        request = services.home_visit_request(
            office=planned.office, name="H", email="h@example.org", street="Weg 1", postcode="07545", city="Gera",
            service_keys=[SERVICES[0]],
        )  # fmt: skip
    client = Client(HTTP_HOST="wurzen.localhost")
    assert "Seniorenheim" not in client.get("/termine/mobil/").content.decode()
    for path in (f"/termine/mobil/{planned.pk}/", f"/termine/mobil/bestaetigen/{booking.token}/",
                 f"/termine/mobil/platz/{booking.token}/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert client.post(f"/termine/mobil/platz/{booking.token}/absagen/").status_code == 404
    staff = Client(HTTP_HOST="wurzen.localhost")
    assert (
        staff.post("/cms/login/", {"username": "it@wurzen.example", "password": "Wurzen-Admin-Passwort-1"}).status_code
        == 302
    )
    assert "Seniorenheim" not in staff.get("/cms/snippets/appointments/visit/").content.decode()
    assert "a@example.org" not in staff.get("/cms/snippets/appointments/visitbooking/").content.decode()
    gera_staff = Client(HTTP_HOST="gera.localhost")
    gera_staff.post("/cms/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"})
    assert "a@example.org" in gera_staff.get("/cms/snippets/appointments/visitbooking/").content.decode()
    assert staff.get(f"/cms/snippets/appointments/homevisitrequest/edit/{request.pk}/").status_code == 404
    with schema_context("gera"):
        assert VisitBooking.objects.get(pk=booking.pk).status == VisitBooking.Status.RESERVED


def test_home_visit_requests_are_limited_per_device(gera: Municipality, tasks_inline: None) -> None:
    """An anonymous write: two requests per device and hour, then 429 with a message, nothing stored."""
    planned = visit("gera")
    data = {"office": planned.office.slug, "leistung": [SERVICES[0]], "name": "Helga Beispiel",
            "email": "helga@example.org", "phone": "", "street": "Lindenweg 3", "postcode": "07545",
            "city": "Gera", "message": "", "website": ""}  # fmt: skip
    client = _citizen()
    assert [client.post("/termine/hausbesuch/", data).status_code for _ in range(2)] == [200, 200]
    refused = client.post("/termine/hausbesuch/", data)
    assert refused.status_code == 429 and refused.content
    with schema_context("gera"):
        assert HomeVisitRequest.objects.count() == 2
    assert _citizen().post("/termine/hausbesuch/", data).status_code == 200
