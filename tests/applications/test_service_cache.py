"""Filing reads the adopted service from the process's memory, and never a stale or a foreign one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from applications import service_cache
from applications.models import Application, ServiceDesk
from services_catalog.local.models import LocalService
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tests.applications.conftest import PERSON, last_link, offer

pytestmark = pytest.mark.django_db
VEHICLE = {"hauptwohnsitz": True, "kennzeichen": "G-AB 123", "gesamtmasse": 1500, "halter": True}
BODY = {"service": "bewohnerparkausweis", "data": {**PERSON, **VEHICLE}}


@pytest.fixture(autouse=True)
def _generation_read_on_every_filing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service_cache.adoptions, "check_seconds", 0.0)


def _token(client: Client) -> str:
    client.post("/api/v1/email-verifications", {"email": "erika@example.org"}, content_type="application/json")
    return last_link("/antraege/e-mail/").split("/antraege/e-mail/")[1].split("/")[0]


def _file(client: Client, token: str, key: str, django_capture_on_commit_callbacks: Any) -> tuple[Any, int]:
    """The API's answer, and how many statements read the adoptions table."""
    auth = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False):
        response = client.post("/api/v1/applications", BODY, content_type="application/json", headers=auth)
    reads = sum('FROM "local_services_localservice"' in query["sql"] for query in queries.captured_queries)
    return response, reads


def _fee(response: Any) -> Decimal:
    assert response.status_code == 201, response.content
    return Decimal(str(response.json()["fee"]))


def test_the_adoption_is_read_once_per_process(
    gera_parking: LocalService, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client)
    first, first_reads = _file(gera_client, token, "one", django_capture_on_commit_callbacks)
    second, second_reads = _file(gera_client, token, "two", django_capture_on_commit_callbacks)
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first_reads, second_reads) == (1, 0)
    with schema_context("gera"):
        assert set(Application.objects.values_list("service_id", flat=True)) == {gera_parking.pk}


def test_a_changed_fee_applies_to_the_next_filing(
    gera_parking: LocalService, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client)
    before = _fee(_file(gera_client, token, "one", django_capture_on_commit_callbacks)[0])
    with schema_context("gera"):
        gera_parking.fee_amount = before + 10
        gera_parking.save()
    assert _fee(_file(gera_client, token, "two", django_capture_on_commit_callbacks)[0]) == before + 10


def test_a_withdrawn_offer_takes_no_more_applications(
    gera_parking: LocalService, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client)
    assert _file(gera_client, token, "one", django_capture_on_commit_callbacks)[0].status_code == 201
    with schema_context("gera"):
        gera_parking.enabled = False
        gera_parking.save()
    response = _file(gera_client, token, "two", django_capture_on_commit_callbacks)[0]
    assert response.status_code == 404 and "bietet diese Leistung nicht an" in response.json()["detail"]


def test_a_new_hand_over_endpoint_applies_to_the_next_filing(
    gera_parking: LocalService, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client)
    _file(gera_client, token, "one", django_capture_on_commit_callbacks)
    with schema_context("gera"):
        ServiceDesk.objects.create(service=gera_parking, handover_url="https://fach.gera.example/eingang")
    response = _file(gera_client, token, "two", django_capture_on_commit_callbacks)[0]
    with schema_context("gera"):
        filed = Application.objects.get(reference=response.json()["reference"])
        assert filed.handovers.filter(event="submission").count() == 1


def test_a_renamed_service_is_seen_by_the_next_filing(
    gera_parking: LocalService, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client)
    _file(gera_client, token, "one", django_capture_on_commit_callbacks)
    definition = ServiceDefinition.objects.get(key="bewohnerparkausweis")
    definition.key = "bewohnerparken"
    definition.save()
    response = _file(gera_client, token, "two", django_capture_on_commit_callbacks)[0]
    assert response.status_code == 404


def test_each_municipality_gets_its_own_adoption(
    gera_parking: LocalService, wurzen: Municipality, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    wurzen_client = Client(HTTP_HOST="wurzen.localhost")
    gera_token, wurzen_token = _token(gera_client), _token(wurzen_client)
    gera_fee = _fee(_file(gera_client, gera_token, "g", django_capture_on_commit_callbacks)[0])
    # Gera's adoption is remembered; Wurzen does not offer the service …
    assert _file(wurzen_client, wurzen_token, "w1", django_capture_on_commit_callbacks)[0].status_code == 404
    wurzen_parking = offer("wurzen", "bewohnerparkausweis", fee_amount=gera_fee + 5)
    # … and once it does, with its own fee, its applications name its own adoption in its own schema.
    response, reads = _file(wurzen_client, wurzen_token, "w2", django_capture_on_commit_callbacks)
    assert _fee(response) == gera_fee + 5 and reads == 1
    with schema_context("wurzen"):
        assert list(Application.objects.values_list("service_id", flat=True)) == [wurzen_parking.pk]
    with schema_context("gera"):
        assert not Application.objects.filter(reference=response.json()["reference"]).exists()
    assert _fee(_file(gera_client, gera_token, "g2", django_capture_on_commit_callbacks)[0]) == gera_fee


def test_a_change_in_another_process_is_seen_once_the_shared_generation_moves(
    gera_parking: LocalService, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client)
    _file(gera_client, token, "one", django_capture_on_commit_callbacks)
    with schema_context("gera"):  # another process: no signal here, only its commit's bump
        LocalService.objects.filter(pk=gera_parking.pk).update(enabled=False)
    assert _file(gera_client, token, "two", django_capture_on_commit_callbacks)[0].status_code == 201
    service_cache.adoptions.bump_shared_generation()
    assert _file(gera_client, token, "three", django_capture_on_commit_callbacks)[0].status_code == 404


def test_what_a_request_sets_on_its_service_stays_in_that_request(gera_parking: LocalService) -> None:
    with schema_context("gera"):
        first = service_cache.adopted_service_cached("bewohnerparkausweis")
        assert first is not None
        first.office_name = "Changed by a request"
        first.definition.name_de = "Changed too"
        second = service_cache.adopted_service_cached("bewohnerparkausweis")
    assert second is not None and second is not first
    assert second.office_name == gera_parking.office_name
    assert second.definition.name_de == gera_parking.definition.name_de
