"""``/cms/sso/``: the staff login with the municipality's identity provider (button on /cms/login/)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtsplatz.infra.security.lockout import external_login_throttled
from cms.staff_sign_on import oidc, services
from cms.staff_sign_on.models import StaffSignOn
from tenants.db import current_schema

SESSION_KEY = "staff_sign_on"


def _config(request: HttpRequest) -> StaffSignOn:
    config = StaffSignOn.load(request_or_site=request)
    if not config.usable:
        raise Http404
    return config


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("staff-sign-on:callback"))


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Remember state, nonce and PKCE verifier for this host's session, then go to the provider."""
    config = _config(request)
    started = oidc.start(config, redirect_uri=_callback_url(request))
    next_url = request.POST.get("next", "")
    request.session[SESSION_KEY] = {
        "schema": current_schema(),
        "state": started.state,
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) else "",
    }
    return redirect(started.url)


@require_GET
@external_login_throttled("staff-sign-on")
def callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: refused unless it belongs to the login this session started on this host."""
    config = _config(request)
    pending = request.session.pop(SESSION_KEY, None)
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    if (
        not isinstance(pending, dict)
        or pending.get("schema") != current_schema()
        or not state
        or state != pending.get("state")
        or not code
    ):
        return _refused(request, _("The login could not be completed. Please start again."))
    try:
        claims = oidc.finish(
            config,
            redirect_uri=_callback_url(request),
            code=code,
            nonce=str(pending["nonce"]),
            code_verifier=str(pending["verifier"]),
        )
        user = services.staff_sign_on(config=config, claims=claims)
    except oidc.SignOnFailed:
        return _refused(request, _("The identity provider's answer could not be verified."))
    except services.NoRole:
        return _refused(request, _("Your account at the identity provider has no role in this portal."))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(pending.get("next") or "wagtailadmin_home")


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "cms/staff_sign_on_refused.html", {"message": message}, status=403)
