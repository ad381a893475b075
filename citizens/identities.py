"""Pages about how a citizen logs in: the linked identities of the account, and "log in more securely"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from citizens import external, login_methods, services, trust
from citizens.accounts import next_path
from citizens.decorators import citizen_required
from citizens.levels import Level, rank
from citizens.services import PASSWORD


@require_http_methods(["GET", "POST"])
@citizen_required
def identity_list(request: HttpRequest) -> HttpResponse:
    """The account's logins; POST ``unlink=<id>`` removes one (never the last)."""
    user = request.user
    if request.method == "POST":
        try:
            services.identity_unlink(user=user, identity_id=int(request.POST.get("unlink", "0") or 0))  # type: ignore[arg-type]
        except (services.IdentityRefused, ValueError) as refused:
            messages.error(request, " ".join(getattr(refused, "messages", [_("No such login of your account.")])))
            return render(request, "citizens/identities.html", _context(request), status=400)
        update_session_auth_hash(request, user)  # type: ignore[arg-type]  # removing the password must not end this session
        messages.success(request, _("The login has been removed from your account."))
        return redirect("citizens:identities")
    return render(request, "citizens/identities.html", _context(request))


def _context(request: HttpRequest) -> dict[str, object]:
    services.password_identity_ensure(request.user)  # type: ignore[arg-type]
    linked = list(request.user.identities.all())  # type: ignore[union-attr]
    buttons = [button for button in login_methods.buttons(request, login_methods.Wanted()) if button.method != PASSWORD]
    return {
        "identities": [(identity, login_methods.label_of(identity.method)) for identity in linked],
        "link_buttons": buttons,
        "current": trust.current(request),
    }


@require_POST
@citizen_required
def identity_link_start(request: HttpRequest, method: str) -> HttpResponse:
    """Start a login with ``method`` whose identity is linked to this account (logged in to both)."""
    offered = [button for button in login_methods.buttons(request, login_methods.Wanted()) if button.method == method]
    if not offered or method == PASSWORD:
        raise Http404(_("This login method is not offered here."))
    external.start_link(request)
    return redirect(offered[0].url)


def stronger_login(request: HttpRequest) -> HttpResponse:
    """A service needs a higher trust level than the current login: the methods that reach it."""
    level = request.GET.get("level", Level.SUBSTANTIAL)
    level = level if level in Level.values else Level.SUBSTANTIAL
    target = next_path(request, "/")
    attributes = tuple(key for key in request.GET.get("attributes", "").split(",") if key)
    buttons = login_methods.buttons(request, login_methods.Wanted(next_path=target, level=level, attributes=attributes))
    context = {
        "buttons": buttons,
        "level": Level(level).label,
        "current": trust.current(request),
        "reached": rank(trust.current(request).level) >= rank(level),
        "next": target,
    }
    return render(request, "citizens/stronger_login.html", context, status=200)
