"""The catalogue API on the platform host and on municipality hosts."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tests.catalogue.factories import published_service

pytestmark = pytest.mark.django_db


def test_platform_lists_the_whole_catalogue(platform_client: Client) -> None:
    published_service("dienst-a")
    published_service("dienst-b", name={"de": "Hundesteuer", "en": "Dog tax"})
    response = platform_client.get("/api/v1/services")
    assert response.status_code == 200
    # Session fixtures of other tests may have published seed services before: compare with the table.
    published = ServiceDefinition.objects.filter(latest_version__isnull=False).values_list("key", flat=True)
    assert sorted(item["id"] for item in response.json()) == sorted(published)
    assert {"dienst-a", "dienst-b"} <= set(published)
    detail = platform_client.get("/api/v1/services/dienst-b?lang=en").json()
    assert detail["name"] == "Dog tax" and detail["office"] is None and detail["form_schema"]["groups"]


def test_municipality_host_lists_only_adopted_services_merged(
    gera: Municipality, wurzen: Municipality, gera_client: Client, wurzen_client: Client
) -> None:
    adopted = published_service("dienst-a")
    published_service("dienst-b")
    with schema_context("gera"):
        service_adopt(definition=adopted, fee_amount="12.00", office_name="Bürgeramt Gera")
    gera_list = gera_client.get("/api/v1/services").json()
    assert [(item["id"], item["fee_eur"]) for item in gera_list] == [("dienst-a", "12.00")]
    detail = gera_client.get("/api/v1/services/dienst-a").json()
    assert detail["office"]["name"] == "Bürgeramt Gera"
    assert gera_client.get("/api/v1/services/dienst-b").status_code == 404
    assert wurzen_client.get("/api/v1/services").json() == []
    not_found = wurzen_client.get("/api/v1/services/dienst-a")
    assert not_found.status_code == 404
    assert "Diese Leistung gibt es hier nicht" in not_found.json()["detail"]


def test_unknown_life_situation_is_a_clear_422(platform_client: Client) -> None:
    response = platform_client.get("/api/v1/services?life_situation=mond")
    assert response.status_code == 422
    assert "life_situation" in response.content.decode()


def test_openapi_documents_both_apis(platform_client: Client, gera_client: Client) -> None:
    platform_spec = platform_client.get("/api/v1/openapi.json").json()
    tenant_spec = gera_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/services/{service_id}" in platform_spec["paths"]
    assert "/api/v1/services" in tenant_spec["paths"]
    assert tenant_spec["info"]["title"] == "Amtsplatz portal API"
