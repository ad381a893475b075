"""Catalogue API: the whole catalogue on the platform host, the merged offer on a municipality's host."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema

from amtsplatz.infra.api_errors import ApiError
from services_catalog.constants import TEXT_MODULES, LifeSituation, ResponsibilityLevel
from services_catalog.local.selectors import MergedService, offered_service, offered_services
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.selectors import catalogue_search, published_definitions


class TextModuleOut(Schema):
    module: str
    title: str
    text: str


class ServiceOfficeOut(Schema):
    name: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    opening_hours: str


class ServiceSummaryOut(Schema):
    id: str
    leika_key: str
    name: str
    teaser: str
    life_situations: list[str]
    responsibility_level: ResponsibilityLevel
    version: int
    online_application: bool
    fee_eur: Decimal | None


class ServiceDetailOut(ServiceSummaryOut):
    responsibility_level_label: str
    latest_version: int
    texts: list[TextModuleOut]
    costs: dict[str, Any]
    deadlines: list[dict[str, Any]]
    processing_time: dict[str, Any] | None
    trust_level: str
    form_schema: dict[str, Any] | None
    office: ServiceOfficeOut | None
    local_note: str


def _language(lang: str | None) -> str:
    return lang if lang in ("de", "en") else (get_language() or "de")[:2]


def _catalogue_fee(version: ServiceVersion) -> Decimal | None:
    kind = (version.costs or {}).get("kind")
    if kind == "fixed":
        return Decimal(version.costs["amount"])
    return Decimal("0.00") if kind == "free" else None


def _version_summary(definition: ServiceDefinition, version: ServiceVersion, language: str) -> dict[str, Any]:
    return {
        "id": definition.key,
        "leika_key": version.leika_key,
        "name": version.name(language),
        "teaser": version.text("teaser", language) or version.text("kurztext", language),
        "life_situations": list(version.life_situations),
        "responsibility_level": version.responsibility_level,
        "version": version.number,
        "online_application": version.online_application,
        "fee_eur": _catalogue_fee(version),
    }


def _version_detail(definition: ServiceDefinition, version: ServiceVersion, language: str) -> dict[str, Any]:
    return {
        **_version_summary(definition, version, language),
        "responsibility_level_label": version.get_responsibility_level_display(),
        "latest_version": version.number,
        "texts": [
            {"module": module, "title": str(label), "text": version.text(module, language)}
            for module, _code, label in TEXT_MODULES
            if version.text(module, language)
        ],
        "costs": version.costs,
        "deadlines": version.deadlines,
        "processing_time": version.processing_time,
        "trust_level": version.trust_level,
        "form_schema": version.form_schema,
        "office": None,
        "local_note": "",
    }


def _merged_summary(service: MergedService) -> dict[str, Any]:
    return {
        "id": service.key,
        "leika_key": service.leika_key,
        "name": service.name,
        "teaser": service.teaser,
        "life_situations": service.life_situations,
        "responsibility_level": service.responsibility_level,
        "version": service.version.number,
        "online_application": service.online_available,
        "fee_eur": service.fixed_fee,
    }


def _merged_detail(service: MergedService, language: str) -> dict[str, Any]:
    version = service.version
    return {
        **_merged_summary(service),
        "responsibility_level_label": version.get_responsibility_level_display(),
        "latest_version": service.latest_number,
        "texts": [{"module": module, "title": title, "text": text} for module, title, text, _lang in service.texts],
        "costs": {
            **service.costs,
            **({"local_amount": str(service.local_fee)} if service.local_fee is not None else {}),
        },
        "deadlines": version.deadlines,
        "processing_time": version.processing_time,
        "trust_level": version.trust_level,
        "form_schema": version.form_schema,
        "office": vars(service.office),
        "local_note": service.local_note,
    }


def _not_found() -> Http404:
    return Http404(_("There is no such service here. / Diese Leistung gibt es hier nicht."))


platform_router = Router(tags=["catalogue"])
tenant_router = Router(tags=["services"])


@platform_router.get("/services", response=list[ServiceSummaryOut], summary="The shared catalogue")
def platform_services(
    request: HttpRequest, q: str = "", life_situation: LifeSituation | None = None, lang: str | None = None
) -> list[dict[str, Any]]:
    language = _language(lang)
    definitions = catalogue_search(query=q, life_situation=life_situation)
    return [_version_summary(d, d.latest_version, language) for d in definitions if d.latest_version]


@platform_router.get(
    "/services/{service_id}", response={200: ServiceDetailOut, 404: ApiError}, summary="One shared service"
)
def platform_service(request: HttpRequest, service_id: str, lang: str | None = None) -> dict[str, Any]:
    definition = published_definitions().filter(key=service_id).first()
    if definition is None or definition.latest_version is None:
        raise _not_found()
    return _version_detail(definition, definition.latest_version, _language(lang))


@tenant_router.get("/services", response=list[ServiceSummaryOut], summary="Services this municipality offers")
def tenant_services(
    request: HttpRequest, q: str = "", life_situation: LifeSituation | None = None, lang: str | None = None
) -> list[dict[str, Any]]:
    services = offered_services(language=_language(lang), life_situation=life_situation, query=q)
    return [_merged_summary(service) for service in services]


@tenant_router.get(
    "/services/{service_id}", response={200: ServiceDetailOut, 404: ApiError}, summary="One service as offered here"
)
def tenant_service(request: HttpRequest, service_id: str, lang: str | None = None) -> dict[str, Any]:
    language = _language(lang)
    service = offered_service(service_id, language=language)
    if service is None:
        raise _not_found()
    return _merged_detail(service, language)
