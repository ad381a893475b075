"""Liveness and readiness, structured logs, Prometheus metrics behind a token, optional Sentry, check --deploy."""

from __future__ import annotations

import json
import logging
import logging.config
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from amtsplatz.infra.observability import readiness
from amtsplatz.infra.observability.logs import logging_config
from tenants.models import Municipality
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db

TOKEN = "metrics-" + "x" * 24


def _production_env(**extra: str) -> dict[str, str]:
    import os

    from django.conf import settings

    return {
        **os.environ,
        "AMTSPLATZ_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "postgresql://amtsplatz@db.internal:5432/amtsplatz",
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_sentry_starts_only_with_a_dsn() -> None:
    probe = "import django; django.setup(); import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    outputs = []
    for extra in ({}, {"SENTRY_DSN": "https://public@sentry.invalid/1"}):
        result = subprocess.run(
            [sys.executable, "-c", probe],
            env={**_production_env(**extra), "DJANGO_SETTINGS_MODULE": "amtsplatz.settings"},
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.strip())
    assert outputs == ["False", "True"]


def test_healthz_and_readyz_on_platform_and_municipality_hosts(
    platform_client: Client, gera_client: Client, gera: Municipality
) -> None:
    for client in (platform_client, gera_client):
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"},
        }


def test_readyz_without_redis_is_degraded_but_ready_and_names_nothing_secret(
    gera_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def redis_down() -> None:
        raise ConnectionRefusedError("redis://secret-host:6379 refused")

    monkeypatch.setitem(readiness.CHECKS, "broker", redis_down)
    monkeypatch.setitem(readiness.CHECKS, "cache", redis_down)
    response = gera_client.get("/readyz")
    assert response.status_code == 200  # pages and filings still work: the pod stays in service (ADR 0073)
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "unavailable", "broker": "unavailable", "storage": "ok"},
    }
    assert "secret-host" not in response.content.decode()


def test_readyz_without_the_database_is_not_ready(gera_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def database_down() -> None:
        raise ConnectionRefusedError("postgresql://secret-host:5432 refused")

    monkeypatch.setitem(readiness.CHECKS, "database", database_down)
    response = gera_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "error" and response.json()["checks"]["database"] == "unavailable"
    assert "secret-host" not in response.content.decode()


def test_every_answer_carries_a_request_id_and_keeps_a_valid_incoming_one(gera_client: Client) -> None:
    generated = gera_client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert gera_client.get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")["X-Request-ID"] == (
        "nginx-0123456789abcdef"
    )
    forged = gera_client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")["X-Request-ID"]
    assert forged != "<script>alert(1)</script>" and len(forged) == 32


def test_access_log_is_json_with_request_id_and_schema(gera_client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    from django.conf import settings

    logging.config.dictConfig(logging_config(json=True, level="INFO"))
    try:
        response = gera_client.get("/healthz", HTTP_X_REQUEST_ID="trace-42-abcdefgh")
        logged = capsys.readouterr().err
    finally:
        logging.config.dictConfig(settings.LOGGING)
    lines = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    access = next(line for line in lines if line["logger"] == "amtsplatz.request")
    assert response.status_code == 200
    assert access["status"] == 200 and access["path"] == "/healthz" and access["host"] == "gera.localhost"
    assert access["level"] == "INFO" and access["message"] == "GET /healthz 200"
    assert access["request_id"] == "trace-42-abcdefgh"
    assert access["schema"] == "gera"


@override_settings(AMTSPLATZ_METRICS_TOKEN=TOKEN)
def test_metrics_count_requests_by_municipality_and_status_behind_a_token(
    gera_client: Client, wurzen_client: Client, platform_client: Client
) -> None:
    gera_client.get("/healthz")
    wurzen_client.get("/no-such-page/")
    Client(HTTP_HOST="unknown.example").get("/")
    cache.clear()

    assert gera_client.get("/metrics").status_code in (301, 404)
    assert gera_client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code in (301, 404)
    platform_client.get("/healthz")

    response = gera_client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'amtsplatz_http_requests_total{schema="gera",status="200"}' in body
    assert 'amtsplatz_http_requests_total{schema="public",status="200"}' in body
    assert 'amtsplatz_http_requests_total{schema="wurzen",status="404"}' in body
    assert 'amtsplatz_http_requests_total{schema="unknown",status="404"}' in body
    assert "amtsplatz_celery_queue_length{queue=" in body
    assert "amtsplatz_http_request_duration_seconds_bucket" in body


@override_settings(AMTSPLATZ_METRICS_TOKEN="")
def test_metrics_do_not_exist_without_a_configured_token(gera_client: Client) -> None:
    assert gera_client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code in (301, 404)


def test_task_outcomes_are_counted(settings: Any) -> None:
    from prometheus_client import REGISTRY

    from amtsplatz.core.tasks import worker_probe
    from amtsplatz.infra.observability.metrics import task_outcome

    before = (
        REGISTRY.get_sample_value("amtsplatz_celery_tasks_total", {"task": "core.worker_probe", "outcome": "failure"})
        or 0.0
    )
    task_outcome("failure")(sender=worker_probe)
    after = REGISTRY.get_sample_value(
        "amtsplatz_celery_tasks_total", {"task": "core.worker_probe", "outcome": "failure"}
    )
    assert after == before + 1
