"""Session fixtures: migrated template schema, demo-like municipalities, real services."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.utils import translation

from amtsplatz.celery import app as celery_app
from amtsplatz.infra.security import rate_limits
from tenants.db import use_public_schema
from tenants.models import Municipality

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Enabled for the whole test process (tests/hashers.py says why this is safe); tests that need another hasher
# override it as before.
_FULL_ROUNDS = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
override_settings(
    PASSWORD_HASHERS=[
        "tests.hashers.QuickPBKDF2PasswordHasher",
        *(h for h in settings.PASSWORD_HASHERS if h != _FULL_ROUNDS),
    ]
).enable()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """The test database, plus the template schema that municipalities are cloned from."""
    from tenants.template_schema import template_schema_ensure

    with django_db_blocker.unblock():
        template_schema_ensure(verbosity=0)


def legal_facts(name: str, city: str, postcode: str, slug: str) -> dict[str, str]:
    """Complete facts for the legal pages of a test municipality (its go-live checklist is then complete)."""
    return {
        "authority_name": name, "street": "Markt 1", "postcode": postcode, "city": city,
        "representative_role": "Oberbürgermeisterin", "representative_name": "Erika Beispiel",
        "phone": "0300 000000", "email": f"stadt@{slug}.example",
        "supervisory_authority": "Landesverwaltungsamt\nBeispielweg 1\n00000 Landeshauptstadt",
        "dpo_name": "Datenschutzbeauftragte", "dpo_email": f"datenschutz@{slug}.example",
        "data_protection_authority": "Landesbeauftragte für den Datenschutz\nBeispielweg 2\n00000 Landeshauptstadt",
        "accessibility_enforcement_body": "Schlichtungsstelle des Landes\nBeispielweg 3\n00000 Landeshauptstadt",
        "accessibility_evaluated_on": "2026-11-30", "accessibility_method": "self",
    }  # fmt: skip


def _municipality(django_db_blocker: Any, **fields: Any) -> Municipality:
    from tenants.services import municipality_create

    with django_db_blocker.unblock():
        existing = Municipality.objects.filter(slug=fields["slug"]).first()
        if existing:
            return existing
        return municipality_create(**fields).municipality


@pytest.fixture(scope="session")
def gera(django_db_setup: None, django_db_blocker: Any) -> Municipality:
    return _municipality(
        django_db_blocker,
        name="Stadt Gera",
        slug="gera",
        domain="gera.localhost",
        ags="16052000",
        state="16",
        admin_email="it@gera.example",
        admin_password="Gera-Admin-Passwort-1",
        primary_colour="#00529c",
        legal=legal_facts("Stadt Gera", "Gera", "07545", "gera"),
    )


@pytest.fixture(scope="session")
def wurzen(django_db_setup: None, django_db_blocker: Any) -> Municipality:
    return _municipality(
        django_db_blocker,
        name="Stadt Wurzen",
        slug="wurzen",
        domain="wurzen.localhost",
        ags="14729410",
        state="14",
        admin_email="it@wurzen.example",
        admin_password="Wurzen-Admin-Passwort-1",
        primary_colour="#8a1538",
        legal=legal_facts("Stadt Wurzen", "Wurzen", "04808", "wurzen"),
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rate-limit counters live in Redis beyond each test's transaction: every test counts in its own key space."""
    monkeypatch.setattr(rate_limits, "KEY_PREFIX", f"ratelimit-test-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a request's LocaleMiddleware leaves its language active in the
    thread, so a test calling code outside a request would otherwise speak the language of the test before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _public_schema_after_test() -> Iterator[None]:
    """Every test starts and ends on the public schema."""
    yield
    use_public_schema()


@pytest.fixture
def gera_client(gera: Municipality) -> Client:
    return Client(HTTP_HOST="gera.localhost")


@pytest.fixture
def wurzen_client(wurzen: Municipality) -> Client:
    return Client(HTTP_HOST="wurzen.localhost")


@pytest.fixture
def tasks_inline() -> Iterator[None]:
    """Celery tasks run in the test process (they still go through apply_async and the tenant headers)."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def platform_client() -> Client:
    return Client(HTTP_HOST="localhost")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_SERVER_LOGS: dict[int, Path] = {}


def server_start(command: list[str], *, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start a server process whose stderr goes to a file: a pipe that nobody reads fills up after some
    requests' log lines and then stalls the server mid-test."""
    with tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=log)
    _SERVER_LOGS[process.pid] = Path(log.name)
    return process


def healthz_wait(port: int, host: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until the server ``process`` answers /healthz for ``host``; kill it and raise with its stderr if not."""
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
            urllib.request.urlopen(request, timeout=2)  # noqa: S310 (a fixed http URL)
            return
        except OSError as error:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                log = _SERVER_LOGS.get(process.pid)
                stderr = log.read_text(errors="replace") if log else ""
                raise RuntimeError(f"gunicorn did not start: {stderr}") from error
            time.sleep(0.3)


def database_url(settings_dict: dict[str, Any]) -> str:
    """A DATABASE_URL for the (test) database Django is connected to, for child processes."""
    host = settings_dict.get("HOST") or ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    user = quote(settings_dict.get("USER") or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{quote(host, safe='')}{port}/{settings_dict['NAME']}"


def child_process_env(django_db_blocker: Any, **extra: str) -> dict[str, str]:
    """Environment for a server or worker process that must see the test database, broker and files."""
    from django.conf import settings

    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    return {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "AMTSPLATZ_REDIS_NAMESPACE": settings.REDIS_NAMESPACE,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        # Servers of the test suite report Content-Security-Policy violations instead of blocking
        # (tests/portal/test_csp_browser.py collects them and expects none).
        "AMTSPLATZ_CSP_MODE": "report-only",
        **extra,
    }


@pytest.fixture(scope="session")
def worker_mail_dir() -> Path:
    """Where the Celery worker's e-mails land, one file per connection."""
    return Path(tempfile.mkdtemp(prefix="amtsplatz-worker-mail-"))


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: Any, worker_mail_dir: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process on the real broker, connected to the test database."""
    from django.conf import settings

    env = child_process_env(
        django_db_blocker,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(worker_mail_dir),
    )
    log = open(Path(tempfile.gettempdir()) / f"celery-{settings.REDIS_NAMESPACE}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "amtsplatz",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=PROJECT_ROOT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto in server mode on a local port: a real S3 API over HTTP."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def demo_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A database next to the test database, set up exactly as ``make demo`` does (migrate_all, seed_demo).

    Yields its DATABASE_URL; dropped at the end of the session.
    """
    import psycopg

    with django_db_blocker.unblock():
        test_url = database_url(connection.settings_dict)
    name = f"{connection.settings_dict['NAME']}_demo"
    maintenance = urlunsplit(urlsplit(test_url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(test_url)._replace(path=f"/{name}"))
    env = {**child_process_env(django_db_blocker), "DATABASE_URL": url}
    try:
        for command in (["migrate_all"], ["seed_demo"]):
            result = subprocess.run(
                [sys.executable, "manage.py", *command], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                timeout=900,
            )  # fmt: skip
            if result.returncode != 0:
                raise RuntimeError(f"manage.py {command[0]} failed:\n{result.stdout}\n{result.stderr}")
        yield url
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def committed_services_remove(keys: set[str], *, schemas: tuple[str, ...] = ()) -> None:
    """Remove catalogue entries a server-backed test committed (and their adoptions in ``schemas``).

    Tests that run a real server commit their data; published entries left behind would show up in the
    catalogue of every later test. Published versions are immutable (a trigger refuses deleting them), so
    the trigger is switched off for this clean-up only; in the template schema the collector finds the
    (empty) tables of municipalities that point at them.
    """
    from django_tenants.utils import schema_context

    from services_catalog.local.models import LocalService
    from services_catalog.models import ServiceDefinition, ServiceVersion
    from tenants.template_schema import template_schema_name

    for schema in schemas:
        with schema_context(schema):
            LocalService.objects.filter(definition__key__in=keys).delete()
    with schema_context(template_schema_name()), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            ours = ServiceDefinition.objects.filter(key__in=keys)
            ours.update(latest_version=None)
            ServiceVersion.objects.filter(definition__in=ours).delete()
            ours.delete()
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def published_keys() -> set[str]:
    from services_catalog.models import ServiceDefinition

    return set(ServiceDefinition.objects.values_list("key", flat=True))


def without_nonces(html: str) -> str:
    """A page without its Content-Security-Policy nonces, which differ on every answer by design."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)
