"""Abuse resistance without tracking, shared by every capability (ADR 0016, ADR 0068).

* Rate limits count in fixed windows in Django's cache (Redis); a network address is kept only as a keyed
  hash, and every key carries the municipality's schema (django-tenants' ``make_key``).
* The proof of work: the server signs a random challenge; the browser searches a nonce so that
  SHA-256(challenge ":" nonce) starts with ``bits`` zero bits (``core/js/pow.js``) and the server checks it
  with one hash. A solved challenge is accepted once.

Capabilities keep their own settings (how many, how hard) and salts; the mechanism lives here once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from tenants.db import current_schema

CHALLENGE_MAX_AGE = 3600


class RateLimited(Exception):
    """Too many actions of one kind from one account, address or device in the current window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def client_address(request: HttpRequest) -> str:
    """The peer address (the proxy in front must set REMOTE_ADDR to the client, as nginx with real_ip does)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def keyed_hash(value: str) -> str:
    """A value (address, device) as stored: an HMAC with the secret key, never the value itself."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def count(key: str, *, limit: int, window_seconds: int) -> None:
    """Count one action under ``key`` in the current fixed window; raise ``RateLimited`` above ``limit``."""
    window = int(time.time()) // window_seconds
    window_end = (window + 1) * window_seconds
    timeout = max(window_end - int(time.time()), 1)
    windowed = f"{key}:{window}"
    cache.add(windowed, 0, timeout=timeout)
    try:
        total = cache.incr(windowed)
    except ValueError:  # expired between add and incr
        cache.set(windowed, 1, timeout=timeout)
        total = 1
    if total > limit:
        raise RateLimited(retry_after=timeout)


def challenge_issue(*, salt: str, bits: int) -> str:
    """A fresh signed challenge of ``bits`` difficulty for the current municipality."""
    return signing.dumps({"r": secrets.token_hex(8), "b": bits, "s": current_schema()}, salt=salt)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge: str, *, salt: str) -> str:
    """Find a nonce for ``challenge`` (what the browser does; used by tests, benchmarks and API clients)."""
    bits = signing.loads(challenge, salt=salt)["b"]
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def solution_valid(challenge: str, nonce: str, *, salt: str, spent_prefix: str) -> bool:
    """Whether ``nonce`` solves a challenge issued here, for this municipality, recently, and for the first time."""
    if not challenge or not nonce or len(nonce) > 20 or not nonce.isdigit():
        return False
    try:
        payload = signing.loads(challenge, salt=salt, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:
        return False
    if not isinstance(payload, dict) or payload.get("s") != current_schema():
        return False
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if leading_zero_bits(digest) < int(payload.get("b", 0)):
        return False
    spent_key = f"{spent_prefix}:pow-used:{hashlib.sha256(challenge.encode()).hexdigest()}"
    return bool(cache.add(spent_key, 1, timeout=CHALLENGE_MAX_AGE))
