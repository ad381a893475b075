"""What a process remembers per municipality is bounded, and stays correct when entries are evicted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from tenants import host_cache
from tenants.models import Domain, Municipality
from tenants.process_cache import ProcessCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cache() -> Iterator[ProcessCache[str, str]]:
    cache: ProcessCache[str, str] = ProcessCache("tests:bounded-generation", max_entries=3, check_seconds=0.0)
    yield cache
    caches["platform"].delete(cache.generation_key)


def _loader(loads: list[str], key: str) -> Any:
    def load() -> str:
        loads.append(key)
        return f"value of {key}"

    return load


def test_the_least_recently_used_entry_goes_first(small_cache: ProcessCache[str, str]) -> None:
    loads: list[str] = []
    for key in ("a", "b", "c"):
        small_cache.get(key, _loader(loads, key))
    small_cache.get("a", _loader(loads, "a"))  # a is used again: b is now the oldest
    small_cache.get("d", _loader(loads, "d"))
    assert len(small_cache) == 3
    loads.clear()
    for key in ("a", "c", "d"):
        assert small_cache.get(key, _loader(loads, key)) == f"value of {key}"
    assert loads == []  # still remembered
    assert small_cache.get("b", _loader(loads, "b")) == "value of b"
    assert loads == ["b"]  # evicted, read again


def test_many_keys_never_grow_the_cache_beyond_its_size(small_cache: ProcessCache[str, str]) -> None:
    loads: list[str] = []
    for number in range(100):
        small_cache.get(f"host-{number}.example", _loader(loads, str(number)))
    assert len(small_cache) == 3 and len(loads) == 100


def test_invalidation_still_forgets_everything(small_cache: ProcessCache[str, str]) -> None:
    loads: list[str] = []
    small_cache.get("a", _loader(loads, "a"))
    small_cache.bump_shared_generation()
    small_cache.get("a", _loader(loads, "a"))
    assert loads == ["a", "a"]


def test_the_host_cache_is_sized_from_settings() -> None:
    from django.conf import settings

    assert host_cache.hosts.max_entries == settings.AMTSPLATZ_HOST_CACHE_ENTRIES >= 1000


def test_an_evicted_host_is_read_again_and_a_change_is_still_seen(
    gera: Municipality, wurzen: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(host_cache.hosts, "max_entries", 1)
    monkeypatch.setattr(host_cache.hosts, "check_seconds", 0.0)
    gera_client, wurzen_client = Client(HTTP_HOST="gera.localhost"), Client(HTTP_HOST="wurzen.localhost")
    assert gera_client.get("/healthz").json()["schema"] == "gera"
    assert wurzen_client.get("/healthz").json()["schema"] == "wurzen"  # gera evicted
    assert len(host_cache.hosts) == 1
    domain = Domain.objects.get(domain="gera.localhost")
    domain.tenant = wurzen
    domain.save()
    assert gera_client.get("/healthz").json()["schema"] == "wurzen"
    assert wurzen_client.get("/healthz").json()["schema"] == "wurzen"
    # Nothing of Gera is served from Wurzen's host after evictions either.
    assert "Stadt Gera" not in wurzen_client.get("/").content.decode()
