"""Login throttling with django-axes: the answer a locked-out person gets, in German and English.

Failed logins count per account and per client address (``AXES_LOCKOUT_PARAMETERS``); the address is
the one :func:`amtsplatz.security.client_address.client_address` finds behind our trusted proxies. An
administrator unlocks with ``manage.py tenant_command axes_reset_username <name> --schema=<schema>`` (a
municipality's users) or ``manage.py axes_reset_username <name>`` (cooperation office); see docs/security.md.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from amtsplatz.security.edge import refuse


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
