"""The current authentication of a request: which login method, which trust level, which verified attributes.

A login method records itself here after a successful login (:func:`record`); capabilities read the
result (:func:`current`) to enforce a service's trust level and to prefill verified attributes. The
record names the account it belongs to: a session whose user changed has no eID level any more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from citizens.identity import verified_email

SESSION_KEY = "citizens_authentication"


@dataclass(frozen=True)
class Authentication:
    """How the requester proved who they are; ``attributes`` are verified values by semantic key."""

    method: str
    level: str
    provider: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


NONE = Authentication(method="", level="none")


def record(
    request: HttpRequest, *, method: str, level: str, provider: str = "", attributes: dict[str, str] | None = None
) -> None:
    """Remember a login that just succeeded (call after ``django.contrib.auth.login``)."""
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "method": method,
        "level": level,
        "provider": provider,
        "attributes": dict(attributes or {}),
    }


def current(request: HttpRequest) -> Authentication:
    """The requester's authentication: a recorded login, else a password login, else a verified address."""
    stored: Any = request.session.get(SESSION_KEY)
    user = request.user
    if user.is_authenticated:
        if isinstance(stored, dict) and stored.get("user") == user.pk:
            return Authentication(
                method=str(stored["method"]),
                level=str(stored["level"]),
                provider=str(stored.get("provider") or ""),
                attributes={str(k): str(v) for k, v in (stored.get("attributes") or {}).items()},
            )
        return Authentication(method="password", level="low")
    if verified_email(request):
        return Authentication(method="magic_link", level="low")
    return NONE
