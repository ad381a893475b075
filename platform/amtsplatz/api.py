"""The two JSON APIs: one for the platform host, one for every municipality's host."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

from amtsplatz.office.api import router as office_router
from answers.api import router as answers_router
from applications.api import router as applications_router
from offices.api import router as offices_router
from participation.api import router as participation_router
from services_catalog.api import platform_router, tenant_router


def _with_not_found_handler(api: NinjaAPI) -> NinjaAPI:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Not found / Nicht gefunden"}, status=404)

    return api


platform_api = _with_not_found_handler(
    NinjaAPI(
        title="Amtsplatz platform API",
        version="1",
        urls_namespace="platform-api",
        openapi_url="/openapi.json",
        docs_url="/docs",
        description="The shared service catalogue of all member municipalities.",
    )
)
platform_api.add_router("", platform_router)
platform_api.add_router("", office_router)

tenant_api = _with_not_found_handler(
    NinjaAPI(
        title="Amtsplatz portal API",
        version="1",
        urls_namespace="portal-api",
        openapi_url="/openapi.json",
        docs_url="/docs",
        description=(
            "Services of one municipality (shared catalogue with local details), online applications, answers to "
            "citizens' questions (the question box), the offices with their opening status (the municipality's own "
            "and those of its Landkreis), and the open data of citizen participation (published defect reports and "
            "ideas; DCAT-AP.de description at /datasets)."
        ),
    )
)
tenant_api.add_router("", tenant_router)
tenant_api.add_router("", applications_router)
tenant_api.add_router("", participation_router)
tenant_api.add_router("", answers_router)
tenant_api.add_router("", offices_router)
