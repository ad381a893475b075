"""Fixtures for online applications: Gera and Wurzen offer seed services; tasks run in-process."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from applications import services
from applications.models import Application, DemoResident, ParkingZone, ParkingZoneStreet, ServiceDesk, StaffProfile
from applications.states import Status
from demo.seed import SEED_CATALOGUE
from services_catalog.exchange import catalogue_files_read
from services_catalog.local.models import LocalService
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from services_catalog.services import definition_save_draft, service_publish
from tenants.models import Municipality

PERSON = {
    "vorname": "Erika",
    "nachname": "Mustermann",
    "geburtsdatum": "1980-05-17",
    "strasse": "Sorge 1",
    "plz": "07545",
    "ort": "Gera",
}


DOG = {**PERSON, "hundename": "Bello", "rasse": "Dackel", "wurfdatum": "2024-03-01", "haltung_seit": "2024-06-01",
       "anzahl_hunde": 1, "gefaehrlich": False, "ermaessigung": "keine"}  # fmt: skip


def file_dog(email: str = "erika@example.org") -> Application:
    """A submitted dog-tax registration in the current schema (the service must be offered there)."""
    service = LocalService.objects.get(definition__key="hundesteuer-anmeldung")
    draft = services.draft_start(service=service, email=email)
    draft.data = dict(DOG)
    draft.save()
    return services.application_submit(draft)


def seed_service(key: str) -> ServiceDefinition:
    """Publish one service of the shipped seed catalogue (once per test database)."""
    existing = ServiceDefinition.objects.filter(key=key).first()
    if existing and existing.latest_version_id:
        return existing
    documents = catalogue_files_read([SEED_CATALOGUE])["services"]
    definition = definition_save_draft(document=next(d for d in documents if d["key"] == key))
    service_publish(definition=definition)
    definition.refresh_from_db()
    return definition


def offer(schema: str, key: str, *, provider: str = "test", **overrides: Any) -> LocalService:
    definition = seed_service(key)
    with schema_context(schema):
        local = LocalService.objects.filter(definition=definition).first() or service_adopt(
            definition=definition, office_name="Bürgerservice", office_email="buergerservice@example.org", **overrides
        )
        Municipality.objects.filter(schema_name=schema).update(payment_provider=provider)
        if key == "bewohnerparkausweis":
            verified_resident()
        return local


def verified_resident(street_and_number: str = PERSON["strasse"], postcode: str = PERSON["plz"]) -> None:
    """In the current schema: the address's street in zone A and PERSON living there (Demo-Melderegister).

    The resident parking permit is approved automatically only on these verified facts (ADR 0081).
    """
    zone, _created = ParkingZone.objects.get_or_create(code="A", defaults={"name": "Innenstadt"})
    ParkingZoneStreet.objects.get_or_create(zone=zone, street=street_and_number.rsplit(" ", 1)[0])
    DemoResident.objects.get_or_create(
        given_names=PERSON["vorname"], family_name=PERSON["nachname"], birth_date=PERSON["geburtsdatum"],
        street_and_number=street_and_number, postcode=postcode, city=PERSON["ort"],
    )  # fmt: skip


def caseworker(schema: str, username: str, service: LocalService | None, *, see_all: bool = False) -> User:
    """A staff member with /cms/ access in ``schema``, working ``service`` (or everything)."""
    with schema_context(schema):
        group, _created = Group.objects.get_or_create(name=f"Sachbearbeitung {username}")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        if see_all:
            group.permissions.add(Permission.objects.get(codename="view_all_applications"))
        user = User.objects.create_user(username, f"{username}@example.org", "Kennwort-Sachbearbeitung-1")
        user.is_staff = True
        user.save()
        user.groups.add(group)
        name = f"Sachbearbeitung {username.title()}"
        StaffProfile.objects.create(user=user, display_name=name, role="Sachbearbeitung", office="Bürgerservice")
        if service is not None:
            desk, _created = ServiceDesk.objects.get_or_create(service=service)
            desk.groups.add(group)
        return user


def last_link(path_part: str) -> str:
    """The path of the last link in the outbox that contains ``path_part``."""
    for message in reversed(mail.outbox):
        match = re.search(rf"https?://[^/\s]+(\S*?{re.escape(path_part)}\S*)", str(message.body))
        if match:
            return match.group(1)
    raise AssertionError(f"no e-mail with a link containing {path_part!r}")


def verified_client(host: str, email: str, service_key: str) -> tuple[Client, str]:
    """A citizen who confirmed their address and opened the form: (client, URL of step 0)."""
    client = Client(HTTP_HOST=host)
    response = client.post(f"/antraege/{service_key}/", {"email": email})
    assert response.status_code == 200, response.content
    response = client.get(last_link("/antraege/e-mail/"), follow=True)
    assert response.status_code == 200
    return client, response.redirect_chain[-1][0]


def parking_fill(client: Client, step_url: str, *, vehicle: dict[str, Any]) -> str:
    """Both steps of the parking form; returns the review URL."""
    response = client.post(step_url, {**PERSON, "hauptwohnsitz": "true", "action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(response["Location"], {**vehicle, "action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def parking_submit(client: Client, review_url: str, django_capture_on_commit_callbacks: Any) -> Application:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {"idempotency_key": "key-" + review_url})
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("gera"):
        return Application.objects.get(status__in=[s for s in Status if s != Status.DRAFT],
                                       applicant_email="erika@example.org")  # fmt: skip


def parking_filed(vehicle: dict[str, Any], django_capture_on_commit_callbacks: Any) -> tuple[Client, Application]:
    """A verified citizen who filled and submitted the parking form with ``vehicle``."""
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    review_url = parking_fill(client, step_url, vehicle=vehicle)
    return client, parking_submit(client, review_url, django_capture_on_commit_callbacks)


@pytest.fixture
def gera_parking(gera: Municipality) -> LocalService:
    return offer("gera", "bewohnerparkausweis")
