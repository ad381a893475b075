"""Login method "oidc": the OpenID Connect providers this municipality configured in /cms/ (``citizens.oidc``).

Each enabled provider is one button; the trust level is the one its configuration says it asserts.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from amtsplatz.infra.security.lockout import external_login_throttled
from citizens import external, oidc
from citizens.login_methods import Button, LoginMethod, Wanted, register
from citizens.models import OidcProvider
from tenants.context import municipality_base_url
from tenants.db import current_municipality

KEY = "oidc"
SESSION_KEY = "citizens_oidc_pending"


def buttons(request: HttpRequest, wanted: Wanted) -> list[Button]:
    return [
        Button(
            label=_("Log in with %(name)s") % {"name": provider.name},
            url=reverse("citizens:oidc-login", kwargs={"slug": provider.slug})
            + "?"
            + urlencode({"next": wanted.next_path}),
            level=provider.trust_level,
            method=KEY,
        )
        for provider in OidcProvider.objects.filter(enabled=True)
    ]


def _provider(slug: str) -> OidcProvider:
    provider = OidcProvider.objects.filter(slug=slug, enabled=True).first()
    if provider is None:
        raise Http404(_("This login is not offered here."))
    return provider


def _callback_url(slug: str) -> str:
    return municipality_base_url(current_municipality()) + reverse("citizens:oidc-callback", kwargs={"slug": slug})


@require_GET
def log_in(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _provider(slug)
    try:
        started = oidc.start(provider, redirect_uri=_callback_url(slug))
    except oidc.OidcRefused:
        return render(request, "citizens/login_refused.html", status=502)
    pending = dict(request.session.get(SESSION_KEY) or {})
    pending[started.state] = {
        "slug": slug,
        "nonce": started.nonce,
        "verifier": started.code_verifier,
        "next": external.safe_next(request, request.GET.get("next", "")),
    }
    request.session[SESSION_KEY] = dict(list(pending.items())[-5:])
    return redirect(started.url)


@require_GET
@external_login_throttled(KEY)
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider's redirect back: the state must be one this session started, used once."""
    pending = dict(request.session.get(SESSION_KEY) or {})
    started = pending.pop(request.GET.get("state", ""), None)
    request.session[SESSION_KEY] = pending
    if not isinstance(started, dict) or started["slug"] != slug or not request.GET.get("code"):
        return render(request, "citizens/login_refused.html", status=403)
    provider = _provider(slug)
    try:
        claims = oidc.finish(
            provider,
            code=request.GET["code"],
            redirect_uri=_callback_url(slug),
            nonce=started["nonce"],
            code_verifier=started["verifier"],
        )
    except oidc.OidcRefused:
        return render(request, "citizens/login_refused.html", status=403)
    found = oidc.attributes(claims)
    return external.complete(
        request,
        method=KEY,
        provider=provider.issuer.rstrip("/"),
        subject=str(claims["sub"]),
        level=provider.trust_level,
        attributes=found,
        next_path=started["next"],
        email=found.get("contact.email", ""),
    )


register(
    LoginMethod(
        key=KEY,
        label=gettext_lazy("OpenID Connect"),
        buttons=buttons,
        order=20,
        urls=[
            path("<slug:slug>/anmelden/", log_in, name="oidc-login"),
            path("<slug:slug>/zurueck/", callback, name="oidc-callback"),
        ],
    )
)
