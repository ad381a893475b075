"""Bad input at the edge: NUL bytes, numbers beyond 64 bits and lone surrogates get 400/404 with a message.

The first tests replay what an outside test found; the sweeps request every URL pattern of both URL confs
(anonymously and as an administrator) and every API operation with such values: never a 500.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context

from tests.security.urlconf import routes

pytestmark = pytest.mark.django_db
GERMAN = "Die Anfrage enthält Zeichen oder Zahlen"
ENGLISH = "The request contains characters or numbers"
HUGE = "99999999999999999999"
INT64_MAX = str(2**63 - 1)
# Query parameters views read as numbers or search text, with the largest value that passes the edge.
NUMERIC_QUERY = "&".join(
    f"{name}={INT64_MAX}" for name in ("offset", "limit", "page", "p", "older_than_days", "days", "year", "id")
)


def _client(host: str, user: User | None = None) -> Client:
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    if user is not None:
        with schema_context(host.split(".")[0] if "." in host else "public"):
            client.force_login(user)
    return client


def _superuser(schema: str) -> User:
    with schema_context(schema):
        return User.objects.create_superuser(f"admin-{schema}", f"admin@{schema}.example", "x-Geheim-2026")


def _says_both(response: Any) -> bool:
    text = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        text = json.loads(text)["detail"]
    return ("Diese Adresse gibt es nicht" in text or GERMAN in text) and ("does not exist" in text or ENGLISH in text)


@pytest.mark.parametrize(
    "path",
    [
        "/suche/?q=%00",
        "/api/v1/services/%00",
        "/api/v1/applications/GER%00",
        "/antraege/status/%00/",
        "/api/v1/reports?category=%00",
        "/api/v1/ideas?offset=443537145580608078349336576",
        "/api/v1/reports?offset=99999999999999999999",
    ],
)
def test_anonymous_bad_input_found_from_outside(gera: Any, path: str) -> None:
    response = _client("gera.localhost").get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert _says_both(response), response.content


def test_staff_pages_with_bad_input(gera: Any) -> None:
    cms = _client("gera.localhost", _superuser("gera"))
    for path in ("/cms/antraege/?older_than_days=99999999999999999999", "/cms/beteiligung/teilnehmende/?q=%00"):
        response = cms.get(path)
        assert response.status_code == 400 and _says_both(response), path
    office = _client("localhost", _superuser("public"))
    response = office.get("/office/catalogue/?q=%00")
    assert response.status_code == 400 and _says_both(response)


def test_a_lone_surrogate_in_json_is_refused_with_a_message(gera: Any) -> None:
    body = '{"service": "bewohnerparkausweis", "data": {"vorname": "Max\\ud800"}}'
    response = _client("gera.localhost").post("/api/v1/applications", body, content_type="application/json")
    assert response.status_code == 400
    assert GERMAN in response.json()["detail"] and ENGLISH in response.json()["detail"]
    huge = _client("gera.localhost").post(
        "/api/v1/email-verifications", f'{{"email": "a@example.org", "n": {HUGE}}}', content_type="application/json"
    )
    assert huge.status_code == 400


def test_good_input_passes_the_edge(gera: Any) -> None:
    client = _client("gera.localhost")
    assert client.get(f"/api/v1/ideas?offset={INT64_MAX}").status_code == 200
    assert client.get("/api/v1/reports?category=strassenschaden").status_code == 200
    verification = client.post(
        "/api/v1/email-verifications", {"email": "a@example.org"}, content_type="application/json"
    )
    assert verification.status_code == 202


def _sweep(client: Client, urlconf: str) -> list[str]:
    """Every pattern with NUL, a huge and the largest 64-bit number as parameters, and numeric query values."""
    failures = []
    for route in routes(urlconf):
        if route.name == "wagtailadmin_error_test":  # Wagtail's /cms/failwhale/ raises on purpose
            continue
        paths = [route.path(value) for value in ("%00", HUGE, INT64_MAX)] if route.parameters else [route.path("")]
        paths.append(f"{route.path('1')}?q=%00")
        paths.append(f"{route.path('1')}?{NUMERIC_QUERY}")
        for path in dict.fromkeys(paths):
            status = client.get(path).status_code
            if status >= 500:
                failures.append(f"{status} GET {path} ({route.name})")
    return failures


def test_sweep_every_url_pattern_anonymously_and_as_administrator(gera: Any) -> None:
    failures = _sweep(_client("gera.localhost"), "amtsplatz.urls_tenant")
    failures += _sweep(_client("gera.localhost", _superuser("gera")), "amtsplatz.urls_tenant")
    failures += _sweep(_client("localhost"), "amtsplatz.urls_public")
    failures += _sweep(_client("localhost", _superuser("public")), "amtsplatz.urls_public")
    assert failures == []


@pytest.mark.parametrize("host", ["gera.localhost", "localhost"])
def test_sweep_every_api_operation_with_bad_parameters_and_bodies(gera: Any, host: str) -> None:
    client = _client(host)
    spec = client.get("/api/v1/openapi.json").json()
    failures = []
    for template, operations in spec["paths"].items():
        for method in operations:
            for value in ("%00", HUGE, INT64_MAX, "Max%ED%A0%80"):
                path = template.replace("{", "").replace("}", "")
                path = "/".join(value if part in _names(template) else part for part in path.split("/"))
                query = f"?q={value}&offset={value}&category={value}"
                for body in ('{"email": "Max\\ud800"}', '{"email": "a\\u0000@example.org"}', f'{{"n": {HUGE}}}'):
                    response = client.generic(method.upper(), path + query, body, content_type="application/json")
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code} {method.upper()} {path}{query} {body}")
    assert failures == []


def _names(template: str) -> set[str]:
    return {part[1:-1] for part in template.split("/") if part.startswith("{")}
