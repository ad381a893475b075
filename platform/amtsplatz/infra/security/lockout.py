"""Login throttling with django-axes: the answer a locked-out person gets, in German and English.

Failed logins count per account and per client address (``AXES_LOCKOUT_PARAMETERS``); the address is
the one :func:`amtsplatz.infra.security.client_address.client_address` finds behind our trusted proxies. An
administrator unlocks with ``manage.py tenant_command axes_reset_username <name> --schema=<schema>`` (a
municipality's users) or ``manage.py axes_reset_username <name>`` (cooperation office); see docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from amtsplatz.infra.security.client_address import client_address
from amtsplatz.infra.security.edge import refuse


def _message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return gettext(
        "Too many failed logins for this account or from this network. Please wait %(minutes)s minutes and try "
        "again, or ask an administrator to unlock the account."
    ) % {"minutes": minutes}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, str] | None
) -> HttpResponse:
    """django-axes' ``AXES_LOCKOUT_CALLABLE``: 429 with a Retry-After and the message in both languages."""
    response = refuse(request, 429, _message)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


View = Callable[..., HttpResponse]


def external_login_throttled(method: str) -> Callable[[View], View]:
    """For the callback of an identity provider (BundID, OIDC, staff single sign-on): each refused answer (403)
    counts as a failed login of ``method`` from this client address, and a client with too many gets the
    lock-out answer before its next answer is looked at. There is no account name to count under, so the
    bucket is the method and the client address: one client's forgeries never lock anybody else out."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            credentials = {"username": f"external-login:{method}:{client_address(request)}"}
            if not AxesProxyHandler.is_allowed(request, credentials):
                return get_lockout_response(request, None, credentials)
            response = view(request, *args, **kwargs)
            if response.status_code == 403:
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            return response

        return wrapped

    return decorate
