"""Abuse resistance without tracking: rate limits, a honeypot field and a proof-of-work challenge.

The mechanism lives in ``amtsplatz.infra.antispam`` (shared with appointments); this module keeps participation's
limits, salt and form.

* Rate limits count per account and per network address (amtsplatz.infra.ratelimit, shared with the question box
  and appointments).
* The honeypot is a form field people never see; whoever fills it is a bot.
* The proof of work: the server signs a random challenge; the browser searches a nonce so that
  SHA-256(challenge ":" nonce) starts with ``bits`` zero bits (participation/static/participation/js/pow.js)
  and the server checks it with one hash. A solved challenge is accepted once. Browsers without
  JavaScript send no nonce: their contribution is kept but waits for a moderator (ADR 0016).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra import antispam as shared
from amtsplatz.infra import ratelimit
from amtsplatz.infra.ratelimit import RateLimited
from participation.models import ParticipationSettings

CHALLENGE_SALT = "amtsplatz.participation.proof-of-work"
KEY_PREFIX = "participation"  # of the cache keys (rate-limit counters, spent challenges)
__all__ = ["AntiSpamForm", "Automated", "RateLimited", "rate_limit_hit"]


class Automated(Exception):
    """The honeypot field was filled in."""


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_ip: int


def limits_for(scope: str) -> Limits:
    """The municipality's configured limits of a scope: "contribution", "reaction" or "sign_up"."""
    configured = ParticipationSettings.load()
    if scope == "contribution":
        return Limits(configured.contributions_per_account, configured.contributions_per_ip)
    if scope == "reaction":
        return Limits(configured.reactions_per_account, configured.reactions_per_ip)
    if scope == "sign_up":
        return Limits(configured.sign_ups_per_ip, configured.sign_ups_per_ip)
    raise ValueError(f"Unknown rate-limit scope {scope!r}")


def rate_limit_hit(*, scope: str, request: HttpRequest, user_id: int | None = None) -> None:
    """Count one action; raise ``RateLimited`` when the account or the address is over its limit."""
    limits = limits_for(scope)
    ratelimit.hit(
        prefix=KEY_PREFIX,
        scope=scope,
        request=request,
        per_ip=limits.per_ip,
        user_id=user_id,
        per_account=limits.per_account,
    )


def challenge_issue(bits: int | None = None) -> str:
    """A fresh signed challenge for the municipality's difficulty (or ``bits``)."""
    difficulty = ParticipationSettings.load().proof_of_work_bits if bits is None else bits
    return shared.challenge_issue(salt=CHALLENGE_SALT, bits=difficulty)


def solve(challenge: str) -> str:
    """Find a nonce for ``challenge`` (what the browser does; used by tests and API clients)."""
    return shared.solve(challenge, salt=CHALLENGE_SALT)


def solution_valid(challenge: str, nonce: str) -> bool:
    """Whether ``nonce`` solves a challenge we issued, for this municipality, recently, and for the first time."""
    return shared.solution_valid(challenge, nonce, salt=CHALLENGE_SALT, spent_prefix=KEY_PREFIX)


class AntiSpamForm(forms.Form):
    """Adds the honeypot and the proof-of-work fields; ``checked`` says whether the challenge was solved."""

    website = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    pow_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.initial["pow_challenge"] = challenge_issue()
        self.initial["pow_nonce"] = ""
        self.checked = False

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            raise Automated
        self.checked = solution_valid(str(cleaned.get("pow_challenge") or ""), str(cleaned.get("pow_nonce") or ""))
        # Should the form come back with errors, it carries a fresh challenge: this one is spent.
        data: Any = cast(Any, self.data).copy()  # a QueryDict: a mutable copy of the same kind
        data["pow_challenge"], data["pow_nonce"] = challenge_issue(), ""
        self.data = data
        return cleaned
