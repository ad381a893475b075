"""Views served on every host (health) and the platform's landing page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from amtsplatz.infra.observability.readiness import REQUIRED, readiness
from amtsplatz.office.forms import MunicipalitySearchForm
from amtsplatz.office.selectors import municipality_search
from tenants.db import current_schema
from tenants.models import Municipality
from tenants.selectors import primary_domains

MEMBERS_PER_PAGE = 50


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: which schema serves this host, and whether the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "schema": current_schema(),
            "database": database,
        },
        status=status,
    )


@never_cache  # the anonymous page cache must never answer a readiness probe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 when the database does not answer; cache, broker or storage away is 200 "degraded"
    (the pod still serves; ADR 0073). The body names each check's outcome."""
    checks = readiness()
    ready = all(checks[name] == "ok" for name in REQUIRED)
    status = ("ok" if all(outcome == "ok" for outcome in checks.values()) else "degraded") if ready else "error"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


def platform_home(request: HttpRequest) -> HttpResponse:
    """The cooperation office's landing page: the live member portals, searchable and in pages (a list of
    10,000 municipalities at once would be neither readable nor cheap; ADR 0094)."""
    form = MunicipalitySearchForm(request.GET)
    valid = form.is_valid()
    query, state = (form.cleaned_data["q"], form.cleaned_data["state"]) if valid else ("", "")
    members = municipality_search(query=query, state=state).filter(status=Municipality.Status.ACTIVE)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    domains = primary_domains([municipality.pk for municipality in page])
    rows = [(municipality, domains[municipality.pk]) for municipality in page if municipality.pk in domains]
    context = {"form": form, "page": page, "rows": rows, "searched": bool(query or state)}
    return render(request, "core/platform_home.html", context, status=200 if valid else 400)


def tenant_media(request: HttpRequest, schema: str, path: str) -> HttpResponse | FileResponse:
    """Public media of the municipality that owns this host, from local storage only.

    A path under another municipality's folder answers 404 on this host. Wagtail documents answer 404 too:
    they are served only by Wagtail's document view, which checks collection privacy and sends active types
    (HTML, SVG, …) as attachments under a CSP of their own (docs/security.md).
    """
    if schema != current_schema() or path.startswith("documents/"):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT / schema))


def platform_robots_txt(request: HttpRequest) -> HttpResponse:
    """The platform host: its landing page may be indexed, the office console, API and webhooks not."""
    lines = ["User-agent: *", "Disallow: /office/", "Disallow: /api/", "Disallow: /webhooks/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
