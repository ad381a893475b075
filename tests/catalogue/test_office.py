"""The cooperation office maintains the catalogue on the platform host."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django_tenants.utils import schema_context

from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tests.catalogue.factories import published_service, service_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client() -> Client:
    user = User.objects.create_user("redaktion@amtsplatz.example", password="Office-Passwort-1", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_servicedefinition", "add_serviceversion"])
    )
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        "/office/login/", {"username": "redaktion@amtsplatz.example", "password": "Office-Passwort-1"}
    )
    assert response.status_code == 302
    return client


def _form_data(document: dict[str, object]) -> dict[str, object]:
    data: dict[str, object] = {
        "key": document["key"], "leika_key": "", "name_de": "Testparkausweis", "name_en": "",
        "keywords_de": "Anwohnerparken", "keywords_en": "", "addressees": ["citizen"], "trust_level": "low",
        "responsibility_level": "municipality", "life_situations": ["mobilitaet"], "online_application": "on",
        "retention_days": 730,
        "costs": json.dumps(document["costs"]), "deadlines": "[]", "processing_time": "",
        "form_schema": json.dumps(document["form_schema"]), "fee_rule": json.dumps(document["fee_rule"]),
        "decision_rule": json.dumps(document["decision_rule"]),
        "text_kurztext_de": "Ein Ausweis.", "text_volltext_de": "Mit dem Ausweis parken Sie.",
    }  # fmt: skip
    return data


def test_anonymous_and_municipality_users_are_kept_out(gera: Municipality) -> None:
    client = Client(HTTP_HOST="localhost")
    assert client.get("/office/catalogue/")["Location"].startswith("/office/login/")
    response = client.post("/office/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"})
    assert response.status_code == 200
    assert client.get("/office/catalogue/").status_code == 302


def test_invalid_form_schema_is_shown_with_its_path_and_input_kept(office_client: Client) -> None:
    document = service_document()
    document["form_schema"]["groups"][0]["fields"][0]["type"] = "txt"
    response = office_client.post("/office/catalogue/new/", _form_data(document))
    assert response.status_code == 200
    body = response.content.decode()
    assert "form_schema.groups[0].fields[0].type" in body
    assert "Testparkausweis" in body and "&quot;txt&quot;" in body
    assert not ServiceDefinition.objects.exists()


def test_create_preview_publish_and_see_adoptions(office_client: Client, gera: Municipality) -> None:
    response = office_client.post("/office/catalogue/new/", _form_data(service_document()))
    assert response.status_code == 302
    preview = office_client.get("/office/catalogue/testparken/preview/").content.decode()
    assert '<label for="preview-kennzeichen">' in preview and 'type="file"' in preview
    assert office_client.post("/office/catalogue/testparken/publish/").status_code == 302
    definition = ServiceDefinition.objects.get(key="testparken")
    assert definition.latest_version is not None and definition.latest_version.number == 1
    with schema_context("gera"):
        service_adopt(definition=definition)
    detail = office_client.get("/office/catalogue/testparken/").content.decode()
    assert "Stadt Gera" in detail
    listing = office_client.get("/office/catalogue/", {"q": "Anwohnerparken"}).content.decode()
    assert "Testparkausweis" in listing


def test_adoption_overview_names_version_and_pin(gera: Municipality, wurzen: Municipality) -> None:
    from services_catalog.selectors import adoption_overview

    definition = published_service()
    with schema_context("gera"):
        service_adopt(definition=definition)
    with schema_context("wurzen"):
        service_adopt(definition=definition, pinned_version=definition.latest_version, enabled=False)
    overview = {a.municipality_slug: a for a in adoption_overview(definition)}
    assert set(overview) >= {"gera", "wurzen"}
    assert (overview["gera"].offered_version, overview["gera"].follows_latest) == (1, True)
    assert (overview["wurzen"].follows_latest, overview["wurzen"].enabled) == (False, False)


def test_responsibility_level_is_edited_in_the_draft_form(office_client: Client) -> None:
    data = _form_data(service_document())
    data["responsibility_level"] = "district"
    assert office_client.post("/office/catalogue/new/", data).status_code == 302
    assert ServiceDefinition.objects.get(key="testparken").responsibility_level == "district"
    form = office_client.get("/office/catalogue/testparken/edit/").content.decode()
    assert '<option value="district" selected>' in form
    data["responsibility_level"] = "county"
    response = office_client.post("/office/catalogue/testparken/edit/", data)
    assert response.status_code == 200 and 'name="responsibility_level"' in response.content.decode()
    assert ServiceDefinition.objects.get(key="testparken").responsibility_level == "district"
