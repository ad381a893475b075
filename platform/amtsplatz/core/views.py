"""Views served on every host (health) and the platform's landing page."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from amtsplatz.infra.observability.readiness import REQUIRED, readiness
from tenants.db import current_schema
from tenants.selectors import municipality_list


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
    """The cooperation office's landing page with the member municipalities."""
    return render(request, "core/platform_home.html", {"municipalities": municipality_list()})


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
