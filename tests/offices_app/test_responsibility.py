"""Responsibility: own office, district office, area rules, and nothing of one municipality on another."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from offices.districts.models import DistrictOffice
from offices.models import Office
from offices.selectors import Address, responsible_office
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def test_vehicle_registration_is_the_city_in_gera_and_the_landratsamt_in_wurzen(
    gera_registers_vehicles: Office, wurzen_offers_vehicle_registration: None
) -> None:
    with schema_context("gera"):
        in_gera = responsible_office("testzulassung")
    with schema_context("wurzen"):
        in_wurzen = responsible_office("testzulassung")
    assert in_gera is not None and in_wurzen is not None
    assert (in_gera.level, in_wurzen.level) == ("district", "district")
    assert in_gera.reason == "own_office" and in_gera.office is not None
    assert (in_gera.office.source, in_gera.office.name) == ("municipality", "Kfz-Zulassung der Stadt Gera")
    assert in_wurzen.reason == "district_office" and in_wurzen.office is not None
    assert (in_wurzen.office.source, in_wurzen.office.city) == ("district", "Borna")
    assert in_wurzen.district_name == "Landkreis Leipzig"


def test_kreisfreie_city_without_an_office_gets_no_district_office(
    gera: Municipality, vehicle_registration: object, landkreis_leipzig: DistrictOffice
) -> None:
    with schema_context("gera"):
        found = responsible_office("testzulassung")
    assert found is not None and found.reason == "not_here" and found.office is None


def test_unknown_service_is_none(gera: Municipality) -> None:
    with schema_context("gera"):
        assert responsible_office("gibt-es-nicht") is None


def test_area_rules_choose_among_offices(gera_two_registration_offices: tuple[Office, Office]) -> None:
    with schema_context("gera"):
        unknown = responsible_office("testmeldung")
        lusan = responsible_office("testmeldung", address=Address(postcode="07549"))
        centre = responsible_office("testmeldung", address=Address(postcode="07545"))
        even = responsible_office("testmeldung", address=Address.parse("07545", "Bahnhofstr. 24a"))
        odd = responsible_office("testmeldung", address=Address.parse("07545", "Bahnhofstraße 25"))
        outside = responsible_office("testmeldung", address=Address.parse("07545", "Bahnhofstraße 42"))
    assert unknown is not None and unknown.reason == "needs_address" and unknown.office is None
    assert {card.slug for card in unknown.candidates} == {"rathaus", "lusan"}
    assert lusan is not None and lusan.reason == "area_rule" and lusan.office is not None
    assert lusan.office.slug == "lusan"
    assert centre is not None and centre.office is not None and centre.office.slug == "rathaus"
    assert even is not None and even.office is not None and even.office.slug == "lusan"
    assert odd is not None and odd.office is not None and odd.office.slug == "rathaus"
    assert outside is not None and outside.office is not None and outside.office.slug == "rathaus"


def test_address_parsing() -> None:
    assert Address.parse("07545", "Bahnhofstraße 12a") == Address("07545", "Bahnhofstraße", 12)
    assert Address.parse("07545", "Am Markt") == Address("07545", "Am Markt", None)
    assert Address.parse("07545", "Straße des 17. Juni 4") == Address("07545", "Straße des 17. Juni", 4)


def test_gera_offices_never_on_wurzen(
    gera_registers_vehicles: Office, wurzen_offers_vehicle_registration: None, wurzen_client: Client
) -> None:
    assert wurzen_client.get("/dienststellen/kfz-zulassung/").status_code == 404
    assert "Kfz-Zulassung der Stadt Gera" not in wurzen_client.get("/dienststellen/").content.decode()
    assert wurzen_client.get("/api/v1/offices/kfz-zulassung").status_code == 404
    listed = wurzen_client.get("/api/v1/offices").json()
    assert "kfz-zulassung" not in {item["id"] for item in listed if item["source"] == "municipality"}
    assert {item["name"] for item in listed} == {"Bürgerbüro Wurzen", "Landratsamt Landkreis Leipzig"}


def test_district_office_only_for_its_members(
    gera_registers_vehicles: Office, wurzen_offers_vehicle_registration: None, gera_client: Client,
    wurzen_client: Client,
) -> None:  # fmt: skip
    assert wurzen_client.get("/dienststellen/landkreis/landratsamt/").status_code == 200
    assert gera_client.get("/dienststellen/landkreis/landratsamt/").status_code == 404
    assert gera_client.get("/api/v1/offices/district/landratsamt").status_code == 404
    assert "Landratsamt" not in gera_client.get("/dienststellen/").content.decode()
