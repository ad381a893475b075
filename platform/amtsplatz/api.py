"""The two JSON APIs: one for the platform host, one for every municipality's host.

Both answer every error with one body, ``{"detail": …, "errors": {…}}`` (amtsplatz/infra/api_errors.py), and their
OpenAPI documents every status an operation can answer (ADR 0074).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from amtsplatz.infra.api_errors import complete_responses, install_handlers
from amtsplatz.office.api import router as office_router
from answers.api import router as answers_router
from applications.api import router as applications_router
from appointments.api import router as appointments_router
from offices.api import router as offices_router
from participation.api import router as participation_router
from services_catalog.api import platform_router, tenant_router


class AmtsplatzAPI(NinjaAPI):
    """django-ninja with our error body and the common error statuses in its OpenAPI."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        install_handlers(self)

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        complete_responses(schema)
        return schema


platform_api = AmtsplatzAPI(
    title="Amtsplatz platform API",
    version="1",
    urls_namespace="platform-api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    description=(
        "The shared service catalogue of all member municipalities, and the onboarding of municipalities by the "
        "cooperation office (bearer token). Every error has the body `ApiError`: `detail` in German and English, "
        "`errors` by field."
    ),
)
platform_api.add_router("", platform_router)
platform_api.add_router("", office_router)

tenant_api = AmtsplatzAPI(
    title="Amtsplatz portal API",
    version="1",
    urls_namespace="portal-api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    description=(
        "Services of one municipality (shared catalogue with local details), online applications, answers to "
        "citizens' questions (the question box), the offices with their opening status (the municipality's own "
        "and those of its Landkreis), appointments (offices, free times, reserve / confirm / cancel), and the "
        "open data of citizen participation (published defect reports and ideas; DCAT-AP.de description at "
        "/datasets). Every error has the body `ApiError`: `detail` in German and English, `errors` by field."
    ),
)
tenant_api.add_router("", tenant_router)
tenant_api.add_router("", applications_router)
tenant_api.add_router("", participation_router)
tenant_api.add_router("", answers_router)
tenant_api.add_router("", appointments_router)
tenant_api.add_router("", offices_router)
