"""Both APIs answer every error with the documented body and document every status they answer (ADR 0074)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ERROR = {"$ref": "#/components/schemas/ApiError"}


def _error_body(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) >= {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and isinstance(body["errors"], dict)
    assert all(isinstance(messages, list) for messages in body["errors"].values())
    return dict(body)


def test_validation_errors_are_a_message_and_messages_per_field(gera: Any) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    missing = client.post("/api/v1/email-verifications", {}, content_type="application/json")
    assert missing.status_code == 422
    body = _error_body(missing)
    assert "Einige Angaben fehlen" in body["detail"] and "Some input is missing" in body["detail"]
    assert list(body["errors"]) == ["email"]
    extra = client.post(
        "/api/v1/email-verifications", {"email": "a@example.org", "x": 1}, content_type="application/json"
    )
    assert extra.status_code == 422 and "x" in _error_body(extra)["errors"]
    query = client.get("/api/v1/reports?offset=-1&limit=viele")
    assert query.status_code == 422 and set(_error_body(query)["errors"]) == {"offset", "limit"}
    unreadable = client.post("/api/v1/email-verifications", "{kaputt", content_type="application/json")
    assert unreadable.status_code == 400 and "JSON" in _error_body(unreadable)["detail"]
    edge = client.get("/api/v1/reports?category=%00")
    assert edge.status_code == 400 and _error_body(edge)["errors"] == {}
    unauthenticated = client.post("/api/v1/applications", {"service": "x", "data": {}}, content_type="application/json")
    assert unauthenticated.status_code == 401
    assert "Authorization: Bearer" in _error_body(unauthenticated)["detail"]
    assert _error_body(client.get("/api/v1/services/gibt-es-nicht"))["detail"]


@pytest.mark.parametrize("host", ["gera.localhost", "localhost"])
def test_every_operation_documents_its_error_statuses_with_the_error_body(gera: Any, host: str) -> None:
    spec = Client(HTTP_HOST=host).get("/api/v1/openapi.json").json()
    assert "detail" in spec["components"]["schemas"]["ApiError"]["required"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"400"}
            if "{" in path:
                expected.add("404")
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            if operation.get("security"):
                expected.add("401")
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == ERROR or "ApiError" in str(spec["components"]["schemas"].get(schema["$ref"][21:])), (
                    method,
                    path,
                    status,
                )


def test_form_data_is_a_documented_free_form_object(gera: Any) -> None:
    spec = Client(HTTP_HOST="gera.localhost").get("/api/v1/openapi.json").json()
    data = spec["components"]["schemas"]["ApplicationIn"]["properties"]["data"]
    assert data["type"] == "object" and "anyOf" in data["additionalProperties"]
    assert "GET /api/v1/services/{service}" in data["description"] and "form_schema" in data["description"]
    operation = spec["paths"]["/api/v1/applications"]["post"]
    assert {"201", "200", "401", "404", "409", "422"} <= set(operation["responses"])
    assert operation["security"] == [{"CitizenToken": []}]
