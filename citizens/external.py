"""Finishing a login at an external identity provider: log in (or link), record method and level, go on.

Every external method (OIDC, SAML) ends here with the identity it has verified. When the citizen started
the flow from "link a login" while logged in, the identity is linked to that account instead (logged in
to both); otherwise the identity's account is logged in, and a first login creates one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from citizens import services, trust

LINK_SESSION_KEY = "citizens_link_intent"


def start_link(request: HttpRequest) -> None:
    """The next external login links its identity to the logged-in account."""
    request.session[LINK_SESSION_KEY] = request.user.pk


def safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse("citizens:identities")


def complete(
    request: HttpRequest,
    *,
    method: str,
    provider: str,
    subject: str,
    level: str,
    attributes: dict[str, str],
    next_path: str,
    email: str = "",
) -> HttpResponse:
    linking_user = request.session.pop(LINK_SESSION_KEY, None)
    user = request.user
    if linking_user and user.is_authenticated and user.pk == linking_user and not user.is_staff:
        try:
            services.identity_link(user=user, method=method, provider=provider, subject=subject)
        except services.IdentityRefused as refused:
            messages.error(request, " ".join(refused.messages))
            return redirect("citizens:identities")
        messages.success(request, _("The login has been linked to your account."))
    else:
        account = services.identity_login(method=method, provider=provider, subject=subject, email=email)
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    trust.record(request, method=method, level=level, provider=provider, attributes=attributes)
    return redirect(safe_next(request, next_path))
