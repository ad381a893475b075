"""Schemathesis against both JSON APIs as documented: every operation, all checks, 0 server errors, 0 deviations.

A real gunicorn serves the test database (the whole middleware stack: edge validation, tenant routing, rate
limits); the Schemathesis command line reads each host's ``/api/v1/openapi.json`` from it and sends generated
requests with every check on: the platform host anonymously, a municipality's host anonymously and with a
citizen token. Every response must match the description (status, content type, headers, body), valid requests
must be accepted and invalid ones refused, undocumented methods answered with 405. Examples are few, with a
fixed seed and deterministic generation, so that ``make test`` stays short and repeatable; ``make fuzz`` runs
the same tests with many more examples and the stateful phase (``AMTSPLATZ_FUZZ_EXAMPLES``,
``AMTSPLATZ_FUZZ_PHASES``; docs/security.md). On a failure the assertion shows Schemathesis' report with a
``curl`` line that replays the request.

The municipality is committed (the server is another process), used by no other test and dropped when this
module is done: the applications and reservations Schemathesis manages to create disturb nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import schema_context

from citizens.identity import email_token
from tests.applications.conftest import offer
from tests.appointments.conftest import calendar
from tests.conftest import child_process_env, committed_services_remove, free_port, healthz_wait, server_start

TOWN = "grimma"
SERVICES = ("bewohnerparkausweis", "hundesteuer-anmeldung")
SEED = 20261205
EXAMPLES = os.environ.get("AMTSPLATZ_FUZZ_EXAMPLES", "5")
PHASES = os.environ.get("AMTSPLATZ_FUZZ_PHASES", "examples,coverage,fuzzing")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")  # what the checks accept, and why


@dataclass(frozen=True)
class Server:
    base_url: str
    token: str  # a citizen token of the municipality


@pytest.fixture(scope="module")
def fuzz_town(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """Grimma with two services and an appointment calendar, committed while this module runs, then removed
    again with the catalogue entries it published (other tests expect the catalogue they set up)."""
    from services_catalog.models import ServiceDefinition
    from tenants.models import Municipality
    from tenants.services import municipality_create, municipality_delete

    with django_db_blocker.unblock():
        published = set(ServiceDefinition.objects.filter(key__in=SERVICES).values_list("key", flat=True))
        if not Municipality.objects.filter(slug=TOWN).exists():
            municipality_create(
                name="Stadt Grimma", slug=TOWN, domain=f"{TOWN}.localhost", ags="14729160", state="14",
                admin_email="it@grimma.example", admin_password="Grimma-Admin-Passwort-1",
            )  # fmt: skip
            calendar(TOWN, services=SERVICES[:1])
            offer(TOWN, SERVICES[1])
    yield f"{TOWN}.localhost"
    with django_db_blocker.unblock():
        municipality_delete(Municipality.objects.get(slug=TOWN))
        committed_services_remove(set(SERVICES) - published)


@pytest.fixture(scope="module")
def fuzz_server(fuzz_town: str, django_db_blocker: Any) -> Iterator[Server]:
    port = free_port()
    env = child_process_env(
        django_db_blocker,
        AMTSPLATZ_PORTAL_PORT=str(port),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=tempfile.mkdtemp(prefix="amtsplatz-fuzz-mail-"),
    )
    command = [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    process = server_start(command, env=env)
    healthz_wait(port, fuzz_town, process)
    with django_db_blocker.unblock(), schema_context(TOWN):
        token = email_token("fuzz@example.org")
    yield Server(base_url=f"http://127.0.0.1:{port}", token=token)
    process.terminate()
    process.wait(timeout=20)


def _schemathesis(server: Server, host: str, *headers: str) -> None:
    """Run Schemathesis against ``host``'s API on ``server``; fail with its report unless it found nothing."""
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{server.base_url}/api/v1/openapi.json",
        "--url", server.base_url,
        "--header", f"Host: {host}", *(part for header in headers for part in ("--header", header)),
        "--checks", "all", "--phases", PHASES, "--max-examples", EXAMPLES, "--seed", str(SEED),
        "--generation-deterministic", "--workers", "1",
        "--suppress-health-check", "all", "--request-timeout", "30", "--no-color",
    ]  # fmt: skip
    # In a folder of its own: Schemathesis keeps a cache of found failures in its working directory.
    workdir = tempfile.mkdtemp(prefix="amtsplatz-schemathesis-")
    result = subprocess.run(command, capture_output=True, text=True, timeout=7200, check=False, cwd=workdir)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    print(result.stdout[-1200:])  # the summary (phases, cases) for `make fuzz` logs and `pytest -s`


@pytest.mark.django_db  # makes pytest-django create the test database that the fixtures commit to
def test_platform_api_anonymously(fuzz_server: Server) -> None:
    _schemathesis(fuzz_server, "localhost")


@pytest.mark.django_db
def test_municipality_api_anonymously(fuzz_server: Server, fuzz_town: str) -> None:
    _schemathesis(fuzz_server, fuzz_town)


@pytest.mark.django_db
def test_municipality_api_with_a_citizen_token(fuzz_server: Server, fuzz_town: str) -> None:
    _schemathesis(fuzz_server, fuzz_town, f"Authorization: Bearer {fuzz_server.token}")
