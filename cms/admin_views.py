"""Pages of a municipality's /cms/ beyond Wagtail's own: the go-live checklist and the services in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cms.legal import go_live_checklist
from services_catalog.local.selectors import adoption_choices
from services_catalog.local.services import services_offer
from tenants.db import current_municipality

LEGAL_DETAILS_PERMISSION = "themes.change_legaldetails"
SERVICES_PERMISSION = "local_services.change_localservice"


def go_live(request: HttpRequest) -> HttpResponse:
    """What the portal still lacks before it may go live, and where to fill it in."""
    if not request.user.has_perm(LEGAL_DETAILS_PERMISSION):
        raise PermissionDenied
    items = go_live_checklist()
    areas: dict[str, list[object]] = {}
    for item in items:
        areas.setdefault(item.area, []).append(item)
    context = {
        "municipality": current_municipality(),
        "areas": areas,
        "ready": all(item.done or not item.blocking for item in items),
    }
    return render(request, "cms/admin/go_live.html", context)


@require_http_methods(["GET", "POST"])
def services_bulk(request: HttpRequest) -> HttpResponse:
    """Every published service of the shared catalogue with a checkbox: offered here or not, in one step."""
    if not request.user.has_perm(SERVICES_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        keys = request.POST.getlist("service")
        result = services_offer(keys=keys)
        if result.unknown:
            messages.error(request, _("Unknown services were ignored: %(keys)s") % {"keys": ", ".join(result.unknown)})
        messages.success(
            request,
            _("%(adopted)s services adopted, %(dropped)s no longer offered, %(kept)s unchanged.")
            % {"adopted": len(result.adopted), "dropped": len(result.dropped), "kept": result.unchanged},
        )
        return redirect("cms_services_bulk")
    query = request.GET.get("q", "").strip()[:200]
    context = {"choices": adoption_choices(), "query": query}
    return render(request, "cms/admin/services_bulk.html", context)
