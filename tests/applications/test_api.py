"""The applications API: same validation as the web form, idempotency, token access, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from applications.models import Application
from services_catalog.local.models import LocalService
from tests.applications.conftest import PERSON, last_link

pytestmark = pytest.mark.django_db
VEHICLE = {"hauptwohnsitz": True, "kennzeichen": "G-AB 123", "gesamtmasse": 1500, "halter": True}


def _token(client: Client, email: str) -> str:
    response = client.post("/api/v1/email-verifications", {"email": email}, content_type="application/json")
    assert response.status_code == 202
    link = last_link("/antraege/e-mail/")
    return link.split("/antraege/e-mail/")[1].split("/")[0]


def test_file_and_read_an_application_through_the_api(
    gera_parking: LocalService, gera_client: Client, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    token = _token(gera_client, "erika@example.org")
    body = {"service": "bewohnerparkausweis", "data": {**PERSON, **VEHICLE}}
    auth = {"Authorization": f"Bearer {token}", "Idempotency-Key": "api-1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = gera_client.post("/api/v1/applications", body, content_type="application/json", headers=auth)
        again = gera_client.post("/api/v1/applications", body, content_type="application/json", headers=auth)
    assert first.status_code == 201, first.content
    assert again.status_code == 200 and again.json()["reference"] == first.json()["reference"]
    with schema_context("gera"):
        assert Application.objects.filter(applicant_email="erika@example.org").count() == 1
    reference = first.json()["reference"]
    read = gera_client.get(
        f"/api/v1/applications/{reference}", HTTP_AUTHORIZATION=f"Bearer {first.json()['access_token']}"
    )
    assert read.status_code == 200 and read.json()["status"] == "awaiting_payment"
    assert gera_client.get(f"/api/v1/applications/{reference}").status_code == 401
    other = _token(gera_client, "mallory@example.org")
    assert gera_client.get(f"/api/v1/applications/{reference}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404


def test_api_validation_names_each_field_in_the_requested_language(
    gera_parking: LocalService, gera_client: Client
) -> None:
    token = _token(gera_client, "erika@example.org")
    body = {"service": "bewohnerparkausweis", "data": {**PERSON, **VEHICLE, "plz": "7545", "farbe": "rot"}}
    response = gera_client.post(
        "/api/v1/applications", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"plz", "farbe"}
    assert "Five digits" in errors["plz"][0]
    with schema_context("gera"):
        assert not Application.objects.exists()


def test_api_refuses_missing_or_foreign_tokens(gera_parking: LocalService, gera_client: Client, wurzen: Any) -> None:
    body = {"service": "bewohnerparkausweis", "data": {**PERSON, **VEHICLE}}
    assert gera_client.post("/api/v1/applications", body, content_type="application/json").status_code == 401
    wurzen_client = Client(HTTP_HOST="wurzen.localhost")
    wurzen_token = _token(wurzen_client, "erika@example.org")
    response = gera_client.post(
        "/api/v1/applications", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {wurzen_token}"
    )
    assert response.status_code == 401


def test_openapi_documents_the_applications_endpoints(gera_client: Client) -> None:
    paths = gera_client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/applications", "/api/v1/applications/{reference}", "/api/v1/email-verifications"} <= set(paths)
