"""Self-service terminal (kiosk) mode, turned on per device by a signed token (ADR 0069).

The municipality creates a ``KioskDevice``; its activation link carries a token signed with the secret key
(device id, device secret, schema). Opened on the terminal, the link stores the token in a host-only cookie;
every kiosk page checks signature, schema, secret and revocation. Nothing about it can be guessed, and a
token of one municipality is worthless on another's host. Kiosk sessions never persist: they end when the
browser closes, and after inactivity the page posts to ``reset``, which logs out and flushes the session.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_tenants.utils import get_public_schema_name

from appointments import selectors, services
from appointments.models import KioskDevice
from services_catalog.local.selectors import offered_services
from tenants.db import current_schema

SALT = "amtsplatz.appointments.kiosk"
COOKIE = "amtsplatz_kiosk"
COOKIE_MAX_AGE = 365 * 24 * 3600
INACTIVITY_SECONDS = 90  # then a visible 15-second countdown, then everything is cleared
View = Callable[..., HttpResponse]


def device_token(device: KioskDevice) -> str:
    """The activation token of ``device`` (shown to the municipality once, in the activation link)."""
    return signing.dumps({"d": device.pk, "k": device.secret, "s": current_schema()}, salt=SALT)


def device_from_token(token: str) -> KioskDevice | None:
    """The active device of this municipality the token was signed for, or None."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("s") != current_schema() or not isinstance(payload.get("d"), int):
        return None
    device = KioskDevice.objects.select_related("calendar__office").filter(pk=payload["d"]).first()
    if device is None or device.revoked_at is not None or device.secret != payload.get("k"):
        return None
    return device


def kiosk_device(request: HttpRequest) -> KioskDevice | None:
    return device_from_token(request.COOKIES.get(COOKIE, ""))


def kiosk_only(view: View) -> View:
    """Pages that exist only on an activated terminal; elsewhere a 403 that says so."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        device = kiosk_device(request)
        if device is None:
            return render(request, "appointments/kiosk/not_active.html", status=403)
        request.session.set_expiry(0)  # no persistent login on a shared terminal
        return view(request, device, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """Opened on the terminal by staff: one button turns kiosk mode on for this browser."""
    device = device_from_token(token)
    if device is None:
        return render(request, "appointments/kiosk/not_active.html", {"invalid": True}, status=403)
    if request.method == "POST":
        response = redirect("appointments:kiosk")
        response.set_cookie(
            COOKIE, token, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Strict", secure=request.is_secure()
        )
        return response
    return render(request, "appointments/kiosk/activate.html", {"device": device})


@kiosk_only
def home(request: HttpRequest, device: KioskDevice) -> HttpResponse:
    return render(
        request,
        "appointments/kiosk/home.html",
        {
            "device": device,
            "services": selectors.bookable_services(_lang(request)),
            "online": online_services(_lang(request)),
            **_timing(),
        },
    )


@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    """After inactivity (or "Done"): log out, clear the session, start over on the kiosk's home page."""
    logout(request)  # flushes the session too
    request.session.flush()
    return redirect("appointments:kiosk")


@kiosk_only
@require_POST
def ticket(request: HttpRequest, device: KioskDevice) -> HttpResponse:
    """A walk-in ticket for the chosen service, on a page made for the ticket printer."""
    offered = {s.key: s for s in selectors.bookable_services(_lang(request))}
    keys = [key for key in request.POST.getlist("leistung") if key in offered]
    if not keys:
        return render(
            request,
            "appointments/kiosk/home.html",
            {
                "device": device,
                "services": list(offered.values()),
                "online": online_services(_lang(request)),
                "error": _("Please choose a service."),
                **_timing(),
            },
            status=400,
        )
    booking = services.walk_in_add(calendar=device.calendar, service_keys=keys)
    context = {
        "device": device,
        "booking": booking,
        "names": [offered[key].name for key in keys],
        "waiting_minutes": selectors.waiting_minutes(device.calendar),
        **_timing(),
    }
    return render(request, "appointments/kiosk/ticket.html", context)


def _lang(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


def _timing() -> dict[str, int]:
    return {"inactivity_seconds": INACTIVITY_SECONDS, "countdown_seconds": 15}


def online_services(language: str) -> list[tuple[str, str]]:
    """(key, name) of every service of this municipality that can be applied for online: all on the kiosk."""
    return [(s.key, s.name) for s in offered_services(language=language) if s.online_available]


KIOSK_FREE_PATHS = ("/cms/", "/termine/kiosk/", "/static/", "/media/", "/documents/")


class KioskMiddleware:
    """Every page of the portal on an activated terminal, not only the kiosk's own (ADR 0087).

    With a valid device cookie of this municipality the session ends with the browser (no persistent
    login anywhere, e.g. in an online application), and HTML pages get the kiosk bar: the inactivity
    countdown that clears everything and a "Done" button. It sits outside the anonymous page cache, so
    the bar is added on the way out and never stored for other visitors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        device = None
        if COOKIE in request.COOKIES and current_schema() != get_public_schema_name():
            device = kiosk_device(request)
        if device is not None and hasattr(request, "session"):
            request.session.set_expiry(0)
        response = self.get_response(request)
        if device is not None and _bar_fits(request, response):
            bar = render_to_string("appointments/kiosk/_bar.html", {"device": device, **_timing()}, request=request)
            response.content = response.content.replace(b"</body>", bar.encode() + b"</body>", 1)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _bar_fits(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        not getattr(response, "streaming", False)
        and response.get("Content-Type", "").startswith("text/html")
        and not any(
            request.path.startswith(prefix) or request.path[3:].startswith(prefix) for prefix in KIOSK_FREE_PATHS
        )
        and b"</body>" in response.content
    )
