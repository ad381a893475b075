"""The benchmark-only pinned schema mode: refused unless explicitly confirmed outside production; then it
serves every host from one schema without host lookup or ``SET search_path`` (the single-tenant baseline)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tenants.models import Municipality
from tests.conftest import PROJECT_ROOT, child_process_env

pytestmark = pytest.mark.django_db

SETUP = "import django; django.setup(); print('started')"
PROBE = """
import json, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="wurzen.localhost")
client.get("/")
with CaptureQueriesContext(connection) as queries:
    body = client.get("/").content.decode()
print(json.dumps({"gera": "Stadt Gera" in body, "wurzen": "Stadt Wurzen" in body,
                  "statements": [query["sql"] for query in queries.captured_queries]}))
"""


def _python(code: str, django_db_blocker: Any, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**child_process_env(django_db_blocker, AMTSPLATZ_PAGE_CACHE_SECONDS="0"), **env}
    for name in ("AMTSPLATZ_PIN_SCHEMA", "AMTSPLATZ_PIN_SCHEMA_CONFIRM", "AMTSPLATZ_ENV"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )


def test_refused_without_the_confirmation(django_db_blocker: Any) -> None:
    result = _python(SETUP, django_db_blocker, AMTSPLATZ_PIN_SCHEMA="gera")
    assert result.returncode != 0 and "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr and "benchmarks only" in result.stderr


def test_refused_in_production_even_when_confirmed(django_db_blocker: Any) -> None:
    result = _python(
        SETUP,
        django_db_blocker,
        AMTSPLATZ_PIN_SCHEMA="gera",
        AMTSPLATZ_PIN_SCHEMA_CONFIRM="benchmark-only",
        AMTSPLATZ_ENV="production",
        DJANGO_SECRET_KEY="a-production-secret-for-this-test-only-0123456789",
    )
    assert result.returncode != 0 and "started" not in result.stdout
    assert "refused in production" in result.stderr


def test_refuses_what_is_no_schema_name(django_db_blocker: Any) -> None:
    result = _python(
        SETUP, django_db_blocker, AMTSPLATZ_PIN_SCHEMA="gera; DROP", AMTSPLATZ_PIN_SCHEMA_CONFIRM="benchmark-only"
    )
    assert result.returncode != 0 and "is not a schema name" in result.stderr


def test_serves_every_host_from_the_pinned_schema_without_routing(
    gera: Municipality, wurzen: Municipality, django_db_blocker: Any
) -> None:
    result = _python(
        PROBE, django_db_blocker, AMTSPLATZ_PIN_SCHEMA="gera", AMTSPLATZ_PIN_SCHEMA_CONFIRM="benchmark-only"
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert (probe["gera"], probe["wurzen"]) == (True, False)  # wurzen's host, gera's portal: routing is off
    statements = probe["statements"]
    assert statements and not [sql for sql in statements if sql.startswith("SET") or '"tenants_domain"' in sql]
