"""Citizen pages: the services A–Z of a municipality and the merged detail page."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services_catalog.local.selectors import offered_service
from services_catalog.local.services import service_adopt
from tenants.models import Municipality
from tests.catalogue.factories import published_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def gera_offers_parking(gera: Municipality) -> None:
    definition = published_service()
    with schema_context("gera"):
        service_adopt(
            definition=definition, fee_amount="25.00", office_name="Bürgeramt Gera",
            opening_hours="Mo–Fr 8–12 Uhr", local_note_de="Parkzonen siehe Stadtplan.",
        )  # fmt: skip


def test_index_lists_adopted_services_a_to_z(gera_offers_parking: None, gera_client: Client) -> None:
    response = gera_client.get("/leistungen/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="/leistungen/testparken/"' in body
    assert 'id="buchstabe-T"' in body
    assert '<label for="service-q">' in body


def test_search_and_filter_on_index(gera_offers_parking: None, gera_client: Client) -> None:
    found = gera_client.get("/leistungen/", {"q": "Anwohnerparken"}).content.decode()
    assert "Testparkausweis" in found
    missing = gera_client.get("/leistungen/", {"q": "Baumfällung"}).content.decode()
    assert "Testparkausweis" not in missing
    filtered = gera_client.get("/leistungen/", {"lebenslage": "tiere"}).content.decode()
    assert "Testparkausweis" not in filtered


def test_detail_shows_merged_local_details(gera_offers_parking: None, gera_client: Client) -> None:
    body = gera_client.get("/leistungen/testparken/").content.decode()
    assert "<h1>Testparkausweis</h1>" in body
    assert "25,00\u00a0€" in body
    assert "Bürgeramt Gera" in body and "Mo–Fr 8–12 Uhr" in body
    assert "Widerspruch innerhalb eines Monats." in body
    assert "Parkzonen siehe Stadtplan." in body


def test_service_of_gera_is_not_on_wurzen(
    gera_offers_parking: None, wurzen: Municipality, wurzen_client: Client
) -> None:
    assert wurzen_client.get("/leistungen/testparken/").status_code == 404
    assert "Testparkausweis" not in wurzen_client.get("/leistungen/").content.decode()


def test_variable_costs_show_their_note_in_the_page_language(gera: Municipality, gera_client: Client) -> None:
    note = {"de": "Laut Gebührensatzung der Stadt.", "en": "Set by the city's fee bylaw."}
    costs = {"kind": "variable", "note": note}
    definition = published_service("gebuehr-variabel", costs=costs)
    with schema_context("gera"):
        service_adopt(definition=definition)
        english = offered_service("gebuehr-variabel", language="en")
    german = gera_client.get("/leistungen/gebuehr-variabel/").content.decode()
    assert "Laut Gebührensatzung der Stadt." in german
    assert english is not None and english.costs_note == "Set by the city's fee bylaw."
    assert english.fixed_fee is None
