"""The abuse budget of anonymous writes that send e-mail or create accounts, in one table.

Each entry names a view (by URL name) and how many POSTs it accepts per hour per client address (behind our
trusted proxies, :mod:`amtsplatz.infra.security.client_address`) and per e-mail address in the request. Over the
budget, the answer is 429 with a ``Retry-After`` and a message in German and English, the same whether the
e-mail address belongs to an account or not. Counters live in the cache (Redis) in fixed windows, with the
municipality's schema in the key; addresses are kept only as keyed hashes. While Redis is unreachable each
web process counts for itself (ADR 0073). Participation's contributions
and reactions have budgets of their own, set per municipality (participation/antispam.py); logins are
throttled by django-axes (amtsplatz/infra/security/lockout.py). docs/security.md lists them all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from amtsplatz.infra.cache import window_count
from amtsplatz.infra.security.client_address import client_address
from amtsplatz.infra.security.edge import refuse
from tenants.db import current_schema

WINDOW_SECONDS = 3600
KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class Budget:
    per_client: int  # POSTs per hour from one client address
    per_email: int  # POSTs per hour naming one e-mail address


BUDGETS: dict[str, Budget] = {
    "portal-api:verification_send": Budget(per_client=20, per_email=5),  # magic link + token by e-mail (API)
    "applications:start": Budget(per_client=20, per_email=5),  # the start form sends a magic link
    "citizens:sign-up": Budget(per_client=10, per_email=3),  # citizen account: activation e-mail
    "wagtailadmin_password_reset": Budget(per_client=10, per_email=3),  # /cms/ password reset e-mail
    "citizens:password-reset": Budget(per_client=10, per_email=3),  # citizen account: password reset e-mail
    "offices:contact": Budget(per_client=20, per_email=5),  # contact form: the office's copy and a confirmation
    "offices:office-contact": Budget(per_client=20, per_email=5),  # the same, written to one office
}


def _hashed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _over(key: str, limit: int, window_end: int) -> bool:
    return window_count(cache, key, max(window_end - int(time.time()), 1)) > limit


def _email(request: HttpRequest) -> str:
    if request.content_type == "application/json":
        try:
            document: Any = json.loads(request.body)
        except ValueError:
            return ""
        value = document.get("email") if isinstance(document, dict) else None
    else:
        value = request.POST.get("email")
    return value.strip().lower() if isinstance(value, str) else ""


def _message() -> str:
    return gettext(
        "Too many requests of this kind. Please wait an hour and try again. If you did not receive an e-mail, "
        "please check your spam folder first."
    )


def over_budget(request: HttpRequest, name: str) -> int | None:
    """Count this POST against the view's budget; the seconds to wait when it is over, else None."""
    budget = BUDGETS.get(name)
    if budget is None or request.method != "POST":
        return None
    window = int(time.time()) // WINDOW_SECONDS
    window_end = (window + 1) * WINDOW_SECONDS
    prefix = f"{KEY_PREFIX}:{current_schema()}:{name}:{window}"
    over = _over(f"{prefix}:client:{_hashed(client_address(request))}", budget.per_client, window_end)
    email = _email(request)
    if email:
        over = _over(f"{prefix}:email:{_hashed(email)}", budget.per_email, window_end) or over
    return max(window_end - int(time.time()), 1) if over else None


class RateLimitMiddleware:
    """Answers 429 to POSTs over the budget of their view (``BUDGETS``) before the view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        retry_after = over_budget(request, match.view_name) if match is not None else None
        if retry_after is None:
            return None
        response = refuse(request, 429, _message)
        response["Retry-After"] = str(retry_after)
        return response
