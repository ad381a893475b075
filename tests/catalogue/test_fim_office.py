"""The office imports FIM forms into a draft (UI and command), publishes them with their FIM identity,
and downloads a version's form as XDatenfelder 3.0."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from services_catalog.fim.xdatenfelder import import_form
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.services import definition_save_draft, service_publish
from tenants.models import Municipality
from tests.catalogue.factories import service_document

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "fim_samples"
ALL_CONSTRUCTS = (SAMPLES / "own" / "v3-all-constructs.xml").read_bytes()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English here; the German ones are checked where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture
def office_client() -> Client:
    user = User.objects.create_user("fim@amtsplatz.example", password="Office-Passwort-1", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_servicedefinition", "add_serviceversion"])
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


@pytest.fixture
def definition() -> ServiceDefinition:
    return definition_save_draft(document=service_document("fimtest", fee_rule=None, decision_rule=None))


def form_schema(content: ServiceDefinition | ServiceVersion) -> dict[str, Any]:
    assert content.form_schema is not None
    return content.form_schema


def _upload(client: Client, data: bytes) -> object:
    document = SimpleUploadedFile("form.xml", data, content_type="application/xml")
    return client.post("/office/catalogue/fimtest/form-import/", {"document": document})


def test_upload_puts_the_form_into_the_draft_and_shows_the_report(
    office_client: Client, definition: ServiceDefinition
) -> None:
    response = _upload(office_client, ALL_CONSTRUCTS)
    assert response.status_code == 200  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "struktur[5]/datenfeld/codelisteReferenz" in body
    definition.refresh_from_db()
    assert form_schema(definition)["fim"]["id"] == "S99000000001"
    assert definition.latest_version is None  # nothing is published by an import
    detail = office_client.get("/office/catalogue/fimtest/").content.decode()
    assert "S99000000001" in detail
    preview = office_client.get("/office/catalogue/fimtest/preview/").content.decode()
    assert "Kinder im Haushalt" in preview and "Beginn der Betreuung" in preview  # nested groups are previewed


def test_a_hostile_upload_is_refused_and_the_draft_is_untouched(
    office_client: Client, definition: ServiceDefinition
) -> None:
    before = definition.form_schema
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]><x>&a;</x>'
    response = _upload(office_client, hostile)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "DTD" in response.content.decode()  # type: ignore[attr-defined]
    definition.refresh_from_db()
    assert definition.form_schema == before


def test_published_version_keeps_original_xml_and_fim_ids_and_exports_again(
    office_client: Client, definition: ServiceDefinition
) -> None:
    _upload(office_client, ALL_CONSTRUCTS)
    definition.refresh_from_db()
    version = service_publish(definition=definition)
    assert form_schema(version)["fim"]["xml"] == ALL_CONSTRUCTS.decode()
    assert form_schema(version)["groups"][1]["fields"][0]["fim"] == {
        "id": "F60000227", "version": "1.1.0", "name": "Familienname"
    }  # fmt: skip
    response = office_client.get(f"/office/catalogue/fimtest/versions/{version.number}/xdatenfelder.xml")
    assert response.status_code == 200
    assert import_form(response.content).schema["groups"] == form_schema(version)["groups"]


def test_import_form_command_reports_and_dry_run_changes_nothing(definition: ServiceDefinition) -> None:
    out = StringIO()
    path = str(SAMPLES / "own" / "v2-praezisierung.xml")
    call_command("import_form", path, "--service", "fimtest", "--dry-run", stdout=out)
    assert "codelisteReferenz" in out.getvalue() and "Dry run" in out.getvalue()
    definition.refresh_from_db()
    assert "fim" not in form_schema(definition)
    call_command("import_form", path, "--service", "fimtest", stdout=StringIO())
    definition.refresh_from_db()
    assert form_schema(definition)["fim"]["id"] == "S00000121"
    with pytest.raises(CommandError, match=r"not well-formed XML \(line 1, column \d+\)"):
        call_command("import_form", str(SAMPLES / "flxbe" / "LICENSE.md"), "--service", "fimtest")


def test_office_fim_pages_are_not_reachable_from_a_municipality_host(
    gera: Municipality, definition: ServiceDefinition, gera_client: Client
) -> None:
    assert gera_client.get("/office/catalogue/fimtest/form-import/").status_code == 404
