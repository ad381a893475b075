"""A suspended municipality: citizens get a maintenance page, staff a read-only /cms/.

Kept apart from the host routing (tenants.middleware) and placed after it: it only reads
``request.tenant``. Nothing is deleted while a portal is suspended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from tenants import hooks
from tenants.models import Municipality, SuspensionReason

# Seconds after which a client may try again (the office usually resumes within the hour).
RETRY_AFTER = 3600
# Health checks for the platform's probes, and the portal's public files (logos on the maintenance page).
OPEN_PREFIXES = ("/healthz", "/media/", "/static/")
CMS_PREFIX = "/cms/"
# Staff may still sign in and out; every other write in /cms/ is refused.
CMS_WRITABLE = ("/cms/login/", "/cms/logout/")
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_suspended(request: HttpRequest) -> bool:
    tenant = getattr(request, "tenant", None)
    return isinstance(tenant, Municipality) and tenant.status == Municipality.Status.SUSPENDED


def _both_languages(message: Callable[[], str]) -> str:
    with override("de"):
        german = message()
    with override("en"):
        english = message()
    return f"{german} / {english}"


def maintenance_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the portal in its own branding, in German and English."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": _both_languages(lambda: _("This portal is suspended for the time being."))}, status=503
        )
    else:
        response = HttpResponse(
            render_to_string("tenants/maintenance.html", hooks.maintenance_context(), request=request),
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def in_set_up(request: HttpRequest) -> bool:
    """Not live yet: editors complete the portal in /cms/ (writes allowed), citizens see the maintenance page."""
    tenant = getattr(request, "tenant", None)
    return isinstance(tenant, Municipality) and tenant.suspended_for == SuspensionReason.SETUP


def read_only_response(request: HttpRequest) -> HttpResponse:
    """403 for a change in /cms/ while suspended, saying why, in German and English."""
    return HttpResponse(render_to_string("tenants/read_only.html", request=request), status=403)


class SuspendedMunicipalityMiddleware:
    """Place after the tenant and locale middleware and before the page cache (settings.MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_suspended(request):
            return self.get_response(request)
        path = request.path_info
        if path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if not path.startswith(CMS_PREFIX):
            return maintenance_response(request)
        if request.method not in READING_METHODS and not path.startswith(CMS_WRITABLE) and not in_set_up(request):
            return read_only_response(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        """Tell staff on every admin page why nothing can be saved (messages exist only by now)."""
        if in_set_up(request) and request.method == "GET" and request.path_info.startswith(CMS_PREFIX):
            if "text/html" in request.headers.get("Accept", "") and not request.path_info.startswith(CMS_WRITABLE):
                messages.info(
                    request,
                    _("Not live yet: complete the go-live checklist; then the cooperation office switches it live."),
                )
            return
        if (
            is_suspended(request)
            and request.method == "GET"
            and request.path_info.startswith(CMS_PREFIX)
            and not request.path_info.startswith(CMS_WRITABLE)
            and "text/html" in request.headers.get("Accept", "")
            and request.headers.get("X-Requested-With") != "XMLHttpRequest"
        ):
            messages.warning(
                request, _("This portal is suspended: citizens see a maintenance page and nothing can be changed.")
            )
