"""The proof-of-work check against bots, shared by every capability (ADR 0016, ADR 0068).

Rate limits live in ``amtsplatz.infra.ratelimit``.

* The proof of work: the server signs a random challenge; the browser searches a nonce so that
  SHA-256(challenge ":" nonce) starts with ``bits`` zero bits (``core/js/pow.js``) and the server checks it
  with one hash. A solved challenge is accepted once (while Redis is unreachable: once per process).

Capabilities keep their own settings (how many, how hard) and salts; the mechanism lives here once.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django import forms
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra.cache import CacheUnavailable, claim_locally
from tenants.db import current_schema

CHALLENGE_MAX_AGE = 3600


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
    try:
        return bool(cache.add(spent_key, 1, timeout=CHALLENGE_MAX_AGE))
    except CacheUnavailable:  # Redis away: spent once per process meanwhile, the rate limits still count (ADR 0073)
        return claim_locally(cache, spent_key, CHALLENGE_MAX_AGE)


class BotCheckedForm(forms.Form):
    """A honeypot and the proof of work against bots; after validation ``automated`` and ``checked`` tell.

    Subclasses name their capability's ``salt``, difficulty (``bits``) and ``spent_prefix`` (of the cache keys).
    """

    salt: ClassVar[str]
    bits: ClassVar[int]
    spent_prefix: ClassVar[str]

    website = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    pow_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.initial["pow_challenge"] = challenge_issue(salt=self.salt, bits=self.bits)
        self.initial["pow_nonce"] = ""
        self.checked = False
        self.automated = False

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        self.automated = bool(cleaned.get("website"))
        self.checked = solution_valid(
            str(cleaned.get("pow_challenge") or ""),
            str(cleaned.get("pow_nonce") or ""),
            salt=self.salt,
            spent_prefix=self.spent_prefix,
        )
        return cleaned
