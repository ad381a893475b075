"""Login method "BundID": SAML 2.0 with the federal eID service (``citizens.saml``), at substantial or high.

The requested level is the one the page asked for (a service's trust level) or substantial; the attributes
requested are those the service's form maps (``?attributes=``), never more than ``citizens.saml.ATTRIBUTES``.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from amtsplatz.infra.security.lockout import external_login_throttled
from citizens import external, saml
from citizens.levels import rank
from citizens.login_methods import Button, LoginMethod, Wanted, register
from citizens.models import SamlIdentityProvider
from tenants.db import current_schema

KEY = "bundid"
OUTSTANDING_KEY = "citizens_saml_outstanding"
SESSION_KEY = "citizens_saml_session"
PENDING_SECONDS = 600


def _provider() -> SamlIdentityProvider:
    found = saml.provider()
    if found is None:
        raise Http404(_("Login with BundID is not set up for this municipality."))
    return found


def buttons(request: HttpRequest, wanted: Wanted) -> list[Button]:
    found = saml.provider()
    if found is None:
        return []
    query = {"next": wanted.next_path, "level": max(wanted.level, "substantial", key=rank)}
    if wanted.attributes:
        query["attributes"] = ",".join(wanted.attributes)
    url = f"{reverse('citizens:bundid-login')}?{urlencode(query)}"
    return [Button(label=_("Log in with BundID (%(name)s)") % {"name": found.name}, url=url, level="high", method=KEY)]


@require_GET
def log_in(request: HttpRequest) -> HttpResponse:
    """Send the citizen to the IdP with a signed AuthnRequest; ``level`` and ``attributes`` shape it."""
    idp = _provider()
    level = request.GET.get("level", "substantial")
    level = level if rank(level) >= rank("substantial") and level in saml.STORK_LEVELS else "substantial"
    keys = [key for key in request.GET.get("attributes", "").split(",") if key in saml.ATTRIBUTES]
    relay = external.safe_next(request, request.GET.get("next", ""))
    try:
        request_id, location = saml.authn_request(idp, level=level, keys=keys, relay_state=relay)
    except saml.SamlRefused:  # the IdP's metadata cannot be read: the login cannot start
        return render(request, "citizens/login_refused.html", status=502)
    outstanding = dict(request.session.get(OUTSTANDING_KEY) or {})
    outstanding[request_id] = relay
    request.session[OUTSTANDING_KEY] = dict(list(outstanding.items())[-5:])
    cache.set(_pending_key(f"request:{request_id}"), relay, PENDING_SECONDS)
    return redirect(location)


def _pending_key(token: str) -> str:
    return f"citizens:saml-pending:{current_schema()}:{token}"


@csrf_exempt  # a cross-site POST from the IdP by design; the signed, encrypted assertion is the proof
@require_POST
@external_login_throttled(KEY)
def assertion_consumer(request: HttpRequest) -> HttpResponse:
    """Check the IdP's answer, then finish in the browser's own session (the session cookie is SameSite=Lax
    and does not come with the IdP's cross-site POST; it comes with the top-level GET that follows)."""
    idp = _provider()
    response_xml = request.POST.get("SAMLResponse", "")
    request_id = saml.in_response_to(response_xml)
    relay = cache.get(_pending_key(f"request:{request_id}")) if request_id else None
    if relay is None:
        return render(request, "citizens/login_refused.html", status=403)
    try:
        result = saml.login_response(idp, response_xml, outstanding={request_id: relay})
    except saml.SamlRefused:
        return render(request, "citizens/login_refused.html", status=403)
    cache.delete(_pending_key(f"request:{request_id}"))
    token = secrets.token_urlsafe(32)
    cache.set(_pending_key(token), {"request_id": request_id, "login": asdict(result)}, PENDING_SECONDS)
    return redirect("citizens:bundid-finish", token=token)


@require_GET
@external_login_throttled(KEY)
def finish(request: HttpRequest, token: str) -> HttpResponse:
    """Log in (or link) with a checked assertion, in the session that sent the request for it."""
    pending = cache.get(_pending_key(token))
    cache.delete(_pending_key(token))
    outstanding = dict(request.session.get(OUTSTANDING_KEY) or {})
    if not isinstance(pending, dict) or pending["request_id"] not in outstanding:
        return render(request, "citizens/login_refused.html", status=403)
    result = saml.SamlLogin(**pending["login"])
    next_path = outstanding[pending["request_id"]]
    request.session[OUTSTANDING_KEY] = {}
    response = external.complete(
        request,
        method=KEY,
        provider="",
        subject=result.subject,
        level=result.level,
        attributes=result.attributes,
        next_path=next_path,
        email=result.attributes.get("contact.email", ""),
    )
    request.session[SESSION_KEY] = {"name_id": result.name_id, "session_index": result.session_index}
    return response


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    """Log out here, then at the IdP (single logout) when this session came from it."""
    session = request.session.get(SESSION_KEY)
    logout(request)
    if not isinstance(session, dict) or not session.get("name_id"):
        return redirect("/")
    location = saml.logout_request(
        _provider(), name_id=session["name_id"], session_index=session.get("session_index", ""), relay_state="/"
    )
    return redirect(location)


@require_GET
def single_logout(request: HttpRequest) -> HttpResponse:
    """The IdP's answer to our logout (back home), or its own LogoutRequest (log out, answer signed)."""
    if "SAMLResponse" in request.GET:
        return redirect(external.safe_next(request, request.GET.get("RelayState", "/")))
    if "SAMLRequest" not in request.GET:
        return HttpResponseBadRequest(_("No SAML message."))
    try:
        name_id, answer = saml.idp_logout_request(_provider(), query=request.GET.dict())
    except saml.SamlRefused:
        return HttpResponseBadRequest(_("The logout request is not valid."))
    session = request.session.get(SESSION_KEY)
    if isinstance(session, dict) and session.get("name_id") == name_id:
        logout(request)
    return redirect(answer)


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """The service provider's metadata at a stable URL per municipality (its entity id)."""
    try:
        document = saml.metadata(_provider())
    except saml.SamlRefused as refused:
        raise Http404(_("Login with BundID is not set up for this municipality.")) from refused
    return HttpResponse(document, content_type="application/samlmetadata+xml")


register(
    LoginMethod(
        key=KEY,
        label=gettext_lazy("BundID (eID)"),
        buttons=buttons,
        order=10,
        urls=[
            path("anmelden/", log_in, name="bundid-login"),
            path("acs/", assertion_consumer, name="bundid-acs"),
            path("fertig/<str:token>/", finish, name="bundid-finish"),
            path("abmelden/", log_out, name="bundid-logout"),
            path("slo/", single_logout, name="bundid-sls"),
            path("metadata.xml", metadata, name="bundid-metadata"),
        ],
    )
)
