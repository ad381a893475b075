"""Per-client rate limits in fixed windows, counted in Django's cache (Redis).

Shared by every capability that takes input from the public (participation forms, the question box):
the network address is kept only as a keyed hash, and every key carries the municipality's schema
(the cache's key function adds it). While Redis is unreachable the counters live in each process
(``amtsplatz.infra.cache.window_count``): a limit then holds per web process instead of failing open or closed.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from amtsplatz.infra.cache import window_count
from amtsplatz.infra.security.client_address import client_address

WINDOW_SECONDS = 3600


class RateLimited(Exception):
    """Too many actions of one kind from one account or address in the current window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def address_key(address: str) -> str:
    """A keyed hash of a network address: counters never store the address itself."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def count(key: str, *, limit: int, window_seconds: int = WINDOW_SECONDS) -> None:
    """Count one action under ``key`` in the current fixed window; raise ``RateLimited`` above ``limit``."""
    window = int(time.time()) // window_seconds
    timeout = max((window + 1) * window_seconds - int(time.time()), 1)
    if window_count(cache, f"{key}:{window}", timeout) > limit:
        raise RateLimited(retry_after=timeout)


def hit(
    *,
    prefix: str,
    scope: str,
    request: HttpRequest,
    per_ip: int,
    user_id: int | None = None,
    per_account: int | None = None,
    window_seconds: int = WINDOW_SECONDS,
) -> None:
    """Count one action of ``scope``; raise ``RateLimited`` when the address or the account is over its limit."""
    address = address_key(client_address(request))
    count(f"{prefix}:rl:{scope}:ip:{address}", limit=per_ip, window_seconds=window_seconds)
    if user_id is not None and per_account is not None:
        count(f"{prefix}:rl:{scope}:user:{user_id}", limit=per_account, window_seconds=window_seconds)
