"""A vehicle registration service (district level), offices in Gera, the Landkreis Leipzig for Wurzen."""

from __future__ import annotations

from datetime import time

import pytest
from django_tenants.utils import schema_context

from offices.districts.models import District, DistrictOffice
from offices.models import AreaRule, Office
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tests.catalogue.factories import published_service


def office(slug: str, name: str, postcode: str = "07545", **fields: object) -> Office:
    created = Office.objects.create(
        slug=slug, name=name, street="Kornmarkt 12", postcode=postcode, city="Gera", **fields
    )
    for weekday in range(5):
        created.opening_intervals.create(weekday=weekday, opens=time(8), closes=time(16))
    return created


@pytest.fixture
def vehicle_registration(db: None) -> ServiceDefinition:
    return published_service(
        "testzulassung", name={"de": "Testzulassung", "en": "Test registration"}, responsibility_level="district",
        online_application=False, form_schema=None, fee_rule=None, decision_rule=None,
    )  # fmt: skip


@pytest.fixture
def landkreis_leipzig(vehicle_registration: ServiceDefinition) -> DistrictOffice:
    district = District.objects.create(key="14729", name="Landkreis Leipzig", state="14")
    created = DistrictOffice.objects.create(
        district=district, slug="landratsamt", name="Landratsamt Landkreis Leipzig", street="Stauffenbergstraße 4",
        postcode="04552", city="Borna", latitude="51.1236", longitude="12.4970",
    )  # fmt: skip
    created.services.add(vehicle_registration)
    created.opening_intervals.create(weekday=1, opens=time(8), closes=time(18))
    return created


@pytest.fixture
def gera_registers_vehicles(gera: Municipality, vehicle_registration: ServiceDefinition) -> Office:
    with schema_context("gera"):
        local = service_adopt(definition=vehicle_registration)
        zulassung = office(
            "kfz-zulassung", "Kfz-Zulassung der Stadt Gera", kind="kfz", latitude="50.8806", longitude="12.0810"
        )
        zulassung.services.add(local)
        zulassung.save()
        return zulassung


@pytest.fixture
def wurzen_offers_vehicle_registration(
    wurzen: Municipality, vehicle_registration: ServiceDefinition, landkreis_leipzig: DistrictOffice
) -> None:
    with schema_context("wurzen"):
        service_adopt(definition=vehicle_registration)
        office("buergerbuero", "Bürgerbüro Wurzen", postcode="04808")


@pytest.fixture
def gera_two_registration_offices(gera: Municipality) -> tuple[Office, Office]:
    """Residence registration in Gera: the town hall for everyone, Lusan for 07549 and one street's numbers."""
    definition = published_service("testmeldung", name={"de": "Testmeldung"}, online_application=False,
                                   form_schema=None, fee_rule=None, decision_rule=None)  # fmt: skip
    with schema_context("gera"):
        local = service_adopt(definition=definition)
        town_hall = office("rathaus", "Bürgerservice im Rathaus")
        lusan = office("lusan", "Bürgerbüro Lusan", postcode="07549")
        for item in (town_hall, lusan):
            item.services.add(local)
            item.save()
        AreaRule.objects.create(office=lusan, postcode="07549")
        AreaRule.objects.create(office=lusan, postcode="07545", street="Bahnhofstraße", number_from=20, number_to=40,
                                parity="even")  # fmt: skip
        return town_hall, lusan


# The office console's staff fixtures (public schema users by role).
from tests.office.conftest import admin_client, office_admin, office_user_in  # noqa: E402, F401
