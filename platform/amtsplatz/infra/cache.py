"""Django's Redis cache backend, one Redis client per pool, and a cache that survives its Redis going away.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, which
sets up ~170 response callbacks each time: on a cached page hit (three cache reads) that was a
noticeable share of the request. ``redis.Redis`` is safe to share between threads (each command takes
a connection from the pool), so one per pool is enough.

When Redis does not answer (connection refused or cut, a timeout), the cache fails open (ADR 0073): a
read is a miss (``get`` gives the default, ``get_many`` nothing, ``has_key`` False) and a write or a delete
does nothing, so pages are rendered from the database instead of answering 500. A claim or a counter
(``add``, ``incr``, ``decr``) cannot be answered truthfully without Redis: it raises ``CacheUnavailable``
and its caller decides (rate limits count in this process meanwhile, ``window_count``; a SAML assertion is
refused). After a failure a circuit breaker answers every call of that Redis at once for
``RETRY_SECONDS``, so a dead Redis costs no connect timeout per call; then one call tries again. Each outage
is logged once when it starts and once when it ends, and counted in Prometheus
(``amtsplatz_cache_outages_total``, ``amtsplatz_cache_unavailable_total`` by operation).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from amtsplatz.infra.observability.metrics import CACHE_OUTAGES, CACHE_UNAVAILABLE

logger = logging.getLogger(__name__)

RETRY_SECONDS = 3.0  # how long a failed Redis is not asked again
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
T = TypeVar("T")


class CacheUnavailable(Exception):
    """The cache's Redis did not answer: a claim (``add``) or a counter (``incr``) has no truthful answer."""


class Breaker:
    """The state of one Redis server as this process sees it: reachable, or down until ``retry_at``."""

    def __init__(self, server: str) -> None:
        self.server = _without_secrets(server)
        self.retry_at = 0.0
        self.down_since: float | None = None
        self._lock = threading.Lock()

    def closed(self) -> bool:
        """Whether calls may go to Redis (it answered last time, or its pause is over)."""
        return time.monotonic() >= self.retry_at

    def failed(self, error: Exception) -> None:
        with self._lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.down_since is None:
                self.down_since = time.monotonic()
                CACHE_OUTAGES.inc()
                logger.error(
                    "Cache Redis %s unreachable (%s): reads are misses, writes are skipped; retrying every %.0f s.",
                    self.server,
                    error,
                    RETRY_SECONDS,
                )

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is not None:
                logger.warning(
                    "Cache Redis %s reachable again after %.0f s.", self.server, time.monotonic() - self.down_since
                )
                self.down_since = None


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker(server: str) -> Breaker:
    """The one breaker of ``server`` in this process, shared by every cache alias on it."""
    with _breakers_lock:
        if server not in _breakers:
            _breakers[server] = Breaker(server)
        return _breakers[server]


def _without_secrets(server: str) -> str:
    parts = urlsplit(server)
    if parts.password is None:
        return server
    return parts._replace(netloc=f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)).geturl()


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}
        self._breaker = breaker(servers[0])

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # the stubs leave out the private helpers used here
        pool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = django_client._client(connection_pool=pool)
        return client

    def _guarded(self, operation: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if not self._breaker.closed():
            CACHE_UNAVAILABLE.labels(operation=operation).inc()
            return fallback()
        try:
            result = call()
        except UNREACHABLE as error:
            self._breaker.failed(error)
            CACHE_UNAVAILABLE.labels(operation=operation).inc()
            return fallback()
        self._breaker.succeeded()
        return result

    def _unavailable(self) -> Any:
        raise CacheUnavailable(self._breaker.server)

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._guarded("add", lambda: super(ReusingRedisCacheClient, self).add(key, value, timeout),
                             self._unavailable)  # fmt: skip

    def get(self, key: Any, default: Any) -> Any:
        return self._guarded("get", lambda: super(ReusingRedisCacheClient, self).get(key, default), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._guarded("set", lambda: super(ReusingRedisCacheClient, self).set(key, value, timeout), lambda: None)

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._guarded("touch", lambda: super(ReusingRedisCacheClient, self).touch(key, timeout), lambda: False)

    def delete(self, key: Any) -> bool:
        return self._guarded("delete", lambda: super(ReusingRedisCacheClient, self).delete(key), lambda: False)

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._guarded("get_many", lambda: super(ReusingRedisCacheClient, self).get_many(keys), dict)

    def has_key(self, key: Any) -> bool:
        return self._guarded("has_key", lambda: super(ReusingRedisCacheClient, self).has_key(key), lambda: False)

    def incr(self, key: Any, delta: int) -> Any:
        return self._guarded("incr", lambda: super(ReusingRedisCacheClient, self).incr(key, delta), self._unavailable)

    def set_many(self, data: Any, timeout: Any) -> None:
        self._guarded("set_many", lambda: super(ReusingRedisCacheClient, self).set_many(data, timeout), lambda: None)

    def delete_many(self, keys: Any) -> None:
        self._guarded("delete_many", lambda: super(ReusingRedisCacheClient, self).delete_many(keys), lambda: None)

    def clear(self) -> bool:
        return self._guarded("clear", lambda: super(ReusingRedisCacheClient, self).clear(), lambda: False)


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get_or_set(self, key: Any, default: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> Any:
        """As Django's, but without Redis the default is computed and returned instead of raising."""
        value = self.get(key, self._missing_key, version=version)
        if value is not self._missing_key:
            return value
        if callable(default):
            default = default()
        try:
            self.add(key, default, timeout=timeout, version=version)
        except CacheUnavailable:
            return default
        # Again, for the value of a caller who added between the get and the add.
        return self.get(key, default, version=version)


# --- Counting without Redis ---------------------------------------------------------------------------------------


class LocalCounters:
    """Counters and claims of this process alone, each expiring; bounded (least recently used out)."""

    def __init__(self, entries: int = 20_000) -> None:
        self.entries = entries
        self._values: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def incr(self, key: str, timeout: float) -> int:
        """Raise the counter under ``key`` by one (a new one lives ``timeout`` seconds); the new value."""
        now = time.monotonic()
        with self._lock:
            value, expires = self._values.pop(key, (0, now + timeout))
            if expires <= now:
                value, expires = 0, now + timeout
            self._values[key] = (value + 1, expires)
            while len(self._values) > self.entries:
                self._values.popitem(last=False)
            return value + 1

    def claim(self, key: str, timeout: float) -> bool:
        """True the first time ``key`` is claimed within ``timeout`` seconds, False after."""
        return self.incr(key, timeout) == 1


LOCAL = LocalCounters()


def window_count(cache: BaseCache, key: str, timeout: int) -> int:
    """One more under the counter ``key`` (made at 0, expiring after ``timeout`` s); the new total.

    Without Redis the count is kept in this process only (with the cache's key function: the schema is in it),
    so a rate limit holds per web process meanwhile instead of failing open or closed (ADR 0073).
    """
    try:
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            return 1
    except CacheUnavailable:
        return LOCAL.incr(cache.make_key(key), timeout)


def claim_locally(cache: BaseCache, key: str, timeout: float) -> bool:
    """``add`` of ``key`` (with the cache's key function) in this process only."""
    return LOCAL.claim(cache.make_key(key), timeout)
