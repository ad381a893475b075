"""The demo shows vehicle registration at the city in Gera and at the Landratsämter for Wurzen and Augustusburg."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from offices.demo import VEHICLE_REGISTRATION, offices_demo_ensure
from offices.models import Office
from offices.selectors import responsible_office
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tests.catalogue.factories import published_service

pytestmark = pytest.mark.django_db


def test_demo_offices_resolve_vehicle_registration_per_municipality(gera: Municipality, wurzen: Municipality) -> None:
    published_service(
        VEHICLE_REGISTRATION, name={"de": "Kfz-Zulassung"}, responsibility_level="district",
        online_application=False, form_schema=None, fee_rule=None, decision_rule=None,
    )  # fmt: skip
    resolved = {}
    for slug in ("gera", "wurzen"):
        with schema_context(slug):
            offices_demo_ensure(slug)
            offices_demo_ensure(slug)  # idempotent
            found = responsible_office(VEHICLE_REGISTRATION)
            assert found is not None and found.office is not None
            resolved[slug] = (found.reason, found.office.name, found.office.city)
    assert resolved["gera"] == ("own_office", "Kfz-Zulassung der Stadt Gera", "Gera")
    assert resolved["wurzen"] == ("district_office", "Landratsamt Landkreis Leipzig", "Borna")


def test_gera_deregisters_vehicles_at_its_vehicle_desk_not_at_the_citizens_office(gera: Municipality) -> None:
    for key in (VEHICLE_REGISTRATION, "kfz-abmeldung"):
        published_service(
            key, name={"de": key}, responsibility_level="district",
            online_application=False, form_schema=None, fee_rule=None, decision_rule=None,
        )  # fmt: skip
    with schema_context("gera"):
        service_adopt(definition=ServiceDefinition.objects.get(key="kfz-abmeldung"))
        offices_demo_ensure("gera")
        found = responsible_office("kfz-abmeldung")
        town_hall = Office.objects.get(slug="buergerservice")
        assert not town_hall.services.filter(definition__key="kfz-abmeldung").exists()
    assert found is not None and found.office is not None
    assert (found.reason, found.office.name) == ("own_office", "Kfz-Zulassung der Stadt Gera")
