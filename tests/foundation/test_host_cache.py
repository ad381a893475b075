"""Host → municipality answers are remembered per process and forgotten whenever they may have changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import host_cache
from tenants.models import Domain, Municipality

pytestmark = pytest.mark.django_db

NEW_HOST = "neu.gera.localhost"


@pytest.fixture(autouse=True)
def _generation_read_on_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_cache.hosts, "check_seconds", 0.0)


def _host_lookups(client: Client, path: str = "/") -> tuple[Any, int]:
    """The response, and how many statements read the domain table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, sum('"tenants_domain"' in query["sql"] for query in queries.captured_queries)


def _tenant(response: Any) -> Any:
    return getattr(response.wsgi_request, "tenant", None)


def test_a_known_host_is_looked_up_once(gera_client: Client) -> None:
    first, first_lookups = _host_lookups(gera_client, "/healthz")
    second, second_lookups = _host_lookups(gera_client, "/healthz")
    assert (first.json()["schema"], second.json()["schema"]) == ("gera", "gera")
    assert (first_lookups, second_lookups) == (1, 0)


def test_each_request_gets_its_own_municipality_object(gera_client: Client) -> None:
    first = _tenant(gera_client.get("/healthz"))
    first.name = "Changed by a request"
    second = _tenant(gera_client.get("/healthz"))
    assert second is not first and second.name == "Stadt Gera"


def test_a_new_domain_answers_at_once(gera: Municipality, gera_client: Client) -> None:
    assert Client(HTTP_HOST=NEW_HOST).get("/healthz").status_code == 404  # remembered as unknown
    Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
    response = Client(HTTP_HOST=NEW_HOST).get("/healthz")
    assert response.status_code == 200 and response.json()["schema"] == "gera"


def test_a_deleted_domain_stops_answering(gera: Municipality) -> None:
    domain = Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
    assert Client(HTTP_HOST=NEW_HOST).get("/healthz").status_code == 200
    domain.delete()
    assert Client(HTTP_HOST=NEW_HOST).get("/healthz").status_code == 404


def test_a_domain_moved_to_another_municipality_leads_there(gera: Municipality, wurzen: Municipality) -> None:
    domain = Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
    assert Client(HTTP_HOST=NEW_HOST).get("/healthz").json()["schema"] == "gera"
    domain.tenant = wurzen
    domain.save()
    body = Client(HTTP_HOST=NEW_HOST).get("/").content.decode()
    assert "Stadt Wurzen" in body and "Stadt Gera" not in body


def test_a_suspension_is_seen_by_the_next_request(gera: Municipality, gera_client: Client) -> None:
    assert _tenant(gera_client.get("/healthz")).status == Municipality.Status.ACTIVE
    municipality = Municipality.objects.get(pk=gera.pk)
    municipality.status = Municipality.Status.SUSPENDED
    municipality.save()
    assert _tenant(gera_client.get("/healthz")).status == Municipality.Status.SUSPENDED


def test_answers_read_in_a_rolled_back_transaction_are_forgotten(gera: Municipality) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
        assert Client(HTTP_HOST=NEW_HOST).get("/healthz").status_code == 200
        raise RuntimeError("rolled back")
    assert Client(HTTP_HOST=NEW_HOST).get("/healthz").status_code == 404


def test_changes_by_other_processes_are_seen_once_the_shared_generation_moves(
    gera: Municipality, wurzen: Municipality
) -> None:
    domain = Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
    client = Client(HTTP_HOST=NEW_HOST)
    assert client.get("/healthz").json()["schema"] == "gera"
    # Another process moves the domain: no signal here, only its commit's bump of the shared generation.
    Domain.objects.filter(pk=domain.pk).update(tenant=wurzen)
    assert _host_lookups(client, "/healthz")[1] == 0  # this process still answers from memory …
    host_cache.hosts.bump_shared_generation()
    response, lookups = _host_lookups(client, "/healthz")
    assert (response.json()["schema"], lookups) == ("wurzen", 1)  # … until the generation moved


def test_saving_a_domain_bumps_the_shared_generation_on_commit(
    gera: Municipality, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    Client(HTTP_HOST="gera.localhost").get("/healthz")
    before = caches["platform"].get(host_cache.hosts.generation_key)
    with django_capture_on_commit_callbacks(execute=True):
        Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
        assert caches["platform"].get(host_cache.hosts.generation_key) == before  # not before the commit
    assert caches["platform"].get(host_cache.hosts.generation_key) == before + 1


def test_without_redis_every_request_asks_the_database(gera_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*_args: Any, **_kwargs: Any) -> Any:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(caches["platform"], "get", unreachable)
    for _ in range(2):
        response, lookups = _host_lookups(gera_client, "/healthz")
        assert (response.json()["schema"], lookups) == ("gera", 1)


def test_the_shared_generation_is_read_at_most_once_per_check_interval(
    gera: Municipality, wurzen: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host_cache.hosts, "check_seconds", 3600.0)
    monkeypatch.setattr(host_cache.hosts, "generation_checked", float("-inf"))  # the first request reads it
    domain = Domain.objects.create(domain=NEW_HOST, tenant=gera, is_primary=False)
    client = Client(HTTP_HOST=NEW_HOST)
    assert client.get("/healthz").json()["schema"] == "gera"
    Domain.objects.filter(pk=domain.pk).update(tenant=wurzen)
    caches["platform"].incr(host_cache.hosts.generation_key)  # another process committed the move
    assert client.get("/healthz").json()["schema"] == "gera"  # not read again within the interval …
    monkeypatch.setattr(host_cache.hosts, "generation_checked", float("-inf"))  # … which has now passed
    assert client.get("/healthz").json()["schema"] == "wurzen"
