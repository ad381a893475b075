"""Content-Security-Policy: a nonce per answer on every inline script and style block, no inline script allowed
otherwise, the policy per area (portal, office console, Wagtail's admin), report-only or enforcing, the report
endpoint, and cached pages served with a fresh nonce."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from cms.page_cache import page_cache_purge
from tests.conftest import PROJECT_ROOT
from tests.portal.test_page_cache import committed

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"
INLINE_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def nonce_of(header: str) -> str:
    (nonce,) = [value[len("'nonce-") : -1] for value in directives(header)["script-src"] if value.startswith("'nonce-")]
    return nonce


def test_a_portal_page_has_a_new_nonce_per_answer_on_each_inline_script_and_style(gera: Any) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    first, second = client.get("/"), client.get("/")
    assert first.status_code == second.status_code == 200
    nonce = nonce_of(first[HEADER])
    assert nonce != nonce_of(second[HEADER])
    assert f"'nonce-{nonce}'" in directives(first[HEADER])["style-src"]
    inline = [attributes for _tag, attributes in INLINE_TAG.findall(first.content.decode()) if "src=" not in attributes]
    assert len(inline) >= 2  # the theme's colours and the "js" class
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline), inline


@pytest.mark.parametrize(("host", "path"), [("gera.localhost", "/"), ("localhost", "/office/login/")])
def test_portal_and_office_policies_are_strict(gera: Any, host: str, path: str) -> None:
    policy = directives(Client(HTTP_HOST=host).get(path)[HEADER])
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"][0] == "'self'"
    assert policy["report-uri"] == ["/csp-report"]


def test_payment_and_onboarding_redirects_are_allowed_form_targets(gera: Any) -> None:
    portal = directives(Client(HTTP_HOST="gera.localhost").get("/")[HEADER])
    office = directives(Client(HTTP_HOST="localhost").get("/office/login/")[HEADER])
    assert portal["form-action"] == ["'self'", "https://checkout.stripe.com"]
    assert office["form-action"] == ["'self'", "https://connect.stripe.com"]


def test_wagtail_admin_has_its_own_policy(gera: Any) -> None:
    policy = directives(Client(HTTP_HOST="gera.localhost").get("/cms/login/")[HEADER])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail 8's inline scripts (ADR 0072)
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page preview


def test_report_only_mode_reports_instead_of_enforcing(gera: Any, settings: Any) -> None:
    settings.AMTSPLATZ_CSP_MODE = "report-only"
    response = Client(HTTP_HOST="gera.localhost").get("/")
    assert HEADER not in response
    nonce = nonce_of(response[REPORT_ONLY])
    assert f'nonce="{nonce}"' in response.content.decode()


def test_production_enforces_by_default() -> None:
    env = {name: value for name, value in os.environ.items() if name != "AMTSPLATZ_CSP_MODE"}
    env |= {"AMTSPLATZ_ENV": "production", "DJANGO_SECRET_KEY": "x" * 50, "AMTSPLATZ_TEST_PAYMENTS": "0",
            "DATABASE_URL": "postgresql://nobody@127.0.0.1/none", "REDIS_URL": "redis://127.0.0.1:1/0"}  # fmt: skip
    code = "from django.conf import settings as s; print(s.AMTSPLATZ_CSP_MODE, bool(s.CONTENT_SECURITY_POLICY))"
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    assert result.stdout.split() == ["enforce", "True"]


def test_an_unknown_mode_is_refused() -> None:
    env = {**os.environ, "AMTSPLATZ_CSP_MODE": "off"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=PROJECT_ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode != 0 and "AMTSPLATZ_CSP_MODE" in result.stderr


@pytest.mark.parametrize("host", ["gera.localhost", "localhost"])
def test_the_report_endpoint_logs_a_violation_without_tokens(
    gera: Any, host: str, caplog: pytest.LogCaptureFixture
) -> None:
    report = {"csp-report": {"document-uri": "http://gera.localhost/antraege/status/geheimes-token/",
                             "effective-directive": "script-src-elem", "blocked-uri": "https://evil.example/x.js?a=1",
                             "disposition": "enforce"}}  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="amtsplatz.infra.security.csp"):
        response = Client(HTTP_HOST=host).post("/csp-report", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    (message,) = [record.getMessage() for record in caplog.records if record.name == "amtsplatz.infra.security.csp"]
    assert message == "CSP violation: script-src-elem blocked https://evil.example on /antraege"
    assert "token" not in message


def test_the_report_endpoint_refuses_garbage(gera: Any) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    assert client.post("/csp-report", "{", content_type="application/csp-report").status_code == 400
    assert client.post("/csp-report", "x" * 20_000, content_type="application/csp-report").status_code == 413
    assert client.get("/csp-report").status_code == 405


@pytest.fixture
def page_cache_on(settings: Any) -> Iterator[None]:
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 300
    with committed():
        page_cache_purge("gera")
    yield


def test_a_cached_page_is_served_with_a_fresh_nonce(gera: Any, page_cache_on: None) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    miss, hit = client.get("/"), client.get("/")
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    old, new = nonce_of(miss[HEADER]), nonce_of(hit[HEADER])
    assert old != new
    assert f'nonce="{new}"' in hit.content.decode() and old not in hit.content.decode()
