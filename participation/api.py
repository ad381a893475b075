"""Open data of participation on a municipality's host: published defect reports and ideas, JSON or CSV,
and a DCAT-AP.de-style description of both data sets.

Only what is public on the portal is exported, and no personal data: no author, pseudonym, e-mail,
name, contact or photo (photos may show people). Licence: Datenlizenz Deutschland – Namensnennung 2.0.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from amtsplatz.infra.security.csv_safety import safe_row
from participation import selectors
from participation.notifications import absolute
from participation.states import IdeaStatus, ReportStatus
from tenants.db import current_municipality
from themes.selectors import current_branding

router = Router(tags=["open data"])
LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
MAX_LIMIT = 5000
INT64_MAX = 2**63 - 1  # PostgreSQL's bigint: larger offsets are refused at the edge (400)
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
CSV_RESPONSE = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}


class ReportOut(Schema):
    id: int
    category: str = Field(..., description="Short name of the defect category")
    category_name: str
    status: ReportStatus
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    reported_at: datetime
    published_at: datetime | None
    updated_at: datetime
    url: str


class IdeaOut(Schema):
    id: int
    space: str
    title: str
    text: str
    category: str | None
    status: IdeaStatus
    answer: str
    supports: int = Field(..., description="How many people support the idea")
    latitude: float | None
    longitude: float | None
    published_at: datetime | None
    url: str


class ReportFilter(Schema):
    category: str = Field("", description="Short name of a category")
    status: ReportStatus | Literal[""] = ""
    format: Literal["json", "csv"] = Field("json", description="json (default) or csv")
    limit: int = Field(1000, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=INT64_MAX)


class IdeaFilter(Schema):
    format: Literal["json", "csv"] = "json"
    limit: int = Field(1000, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=INT64_MAX)


def _wants_csv(request: HttpRequest, requested: str) -> bool:
    return requested == "csv" or (requested == "json" and "text/csv" in request.headers.get("Accept", ""))


def _csv(rows: Iterable[Schema], fields: list[str], name: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in rows:
        writer.writerow(safe_row(row.model_dump(mode="json")))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


@router.get(
    "/reports",
    response=list[ReportOut],
    summary="Published defect reports (JSON or CSV)",
    url_name="participation-reports",
    openapi_extra=CSV_RESPONSE,
)
def reports(request: HttpRequest, filters: Query[ReportFilter]) -> Any:
    queryset = selectors.public_reports(category=filters.category, status=filters.status)
    rows = [
        ReportOut(
            id=report.pk,
            category=report.category.slug,
            category_name=report.category.name_de,
            status=ReportStatus(report.status),
            description=report.description,
            address=report.address,
            latitude=_float(report.latitude),
            longitude=_float(report.longitude),
            reported_at=report.created,
            published_at=report.published_at,
            updated_at=report.updated,
            url=absolute(reverse("participation:report", kwargs={"pk": report.pk})),
        )
        for report in queryset[filters.offset : filters.offset + filters.limit]
    ]
    if _wants_csv(request, filters.format):
        return _csv(rows, list(ReportOut.model_fields), "maengelmeldungen")
    return rows


@router.get(
    "/ideas",
    response=list[IdeaOut],
    summary="Published ideas with their support counts (JSON or CSV)",
    url_name="participation-ideas",
    openapi_extra=CSV_RESPONSE,
)
def ideas(request: HttpRequest, filters: Query[IdeaFilter]) -> Any:
    queryset = selectors.public_ideas()
    rows = [
        IdeaOut(
            id=idea.pk,
            space=idea.space.title,
            title=idea.title,
            text=idea.text,
            category=idea.topic.name_de if idea.topic else None,
            status=IdeaStatus(idea.status),
            answer=idea.answer,
            supports=idea.support_count,  # type: ignore[attr-defined]
            latitude=_float(idea.latitude),
            longitude=_float(idea.longitude),
            published_at=idea.published_at,
            url=absolute(reverse("participation:idea", kwargs={"slug": idea.space.slug, "pk": idea.pk})),
        )
        for idea in queryset[filters.offset : filters.offset + filters.limit]
    ]
    if _wants_csv(request, filters.format):
        return _csv(rows, list(IdeaOut.model_fields), "ideen")
    return rows


def _distribution(url: str, media_type: str, title: str) -> dict[str, Any]:
    return {
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media_type}"},
        "dct:format": {"@id": f"{FILE_TYPES}{media_type.split('/')[1].upper()}"},
        "dct:license": {"@id": LICENCE},
    }


def _dataset(key: str, title: str, description: str, path: str, keywords: list[str]) -> dict[str, Any]:
    url = absolute(path)
    municipality = current_municipality()
    return {
        "@id": f"{url}#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{municipality.ags}-{key}",
        "dct:title": title,
        "dct:description": description,
        "dcat:keyword": keywords,
        "dcat:theme": [{"@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE"}],
        "dct:publisher": {"@id": absolute("/") + "#publisher"},
        "dcat:contactPoint": {"@id": absolute("/") + "#contact"},
        "dcatde:politicalGeocodingLevelURI": {"@id": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"},
        "dcatde:politicalGeocodingURI": {
            "@id": f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{municipality.ags}"
        },
        "dct:license": {"@id": LICENCE},
        "dcatde:licenseAttributionByText": municipality.name,
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/CONT"},
        "dct:modified": timezone.now().isoformat(),
        "dcat:distribution": [
            _distribution(url, "application/json", f"{title} (JSON)"),
            _distribution(f"{url}?format=csv", "text/csv", f"{title} (CSV)"),
        ],
    }


@router.get(
    "/datasets",
    summary="DCAT-AP.de description of the open data sets (JSON-LD)",
    openapi_extra={"responses": {200: {"description": "dcat:Catalog", "content": {"application/ld+json": {}}}}},
)
def datasets(request: HttpRequest) -> JsonResponse:
    branding = current_branding()
    municipality = current_municipality()
    name = branding.display_name or municipality.name
    catalog = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@id": absolute(request.path),
        "@type": "dcat:Catalog",
        "dct:title": f"Offene Daten der Bürgerbeteiligung – {name}",
        "dct:description": "Veröffentlichte Mängelmeldungen und Ideen aus dem Beteiligungsportal.",
        "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/DEU"}],
        "dct:publisher": {"@id": absolute("/") + "#publisher", "@type": "foaf:Agent", "foaf:name": name},
        "dcat:contactPoint": {
            "@id": absolute("/") + "#contact",
            "@type": "vcard:Organization",
            "vcard:fn": branding.contact_name or name,
            **({"vcard:hasEmail": f"mailto:{branding.contact_email}"} if branding.contact_email else {}),
        },
        "dcat:dataset": [
            _dataset(
                "maengelmeldungen", f"Mängelmeldungen – {name}",
                "Veröffentlichte Meldungen von Schäden und Mängeln im öffentlichen Raum mit Kategorie, Ort und "
                "Bearbeitungsstand; ohne personenbezogene Daten.",
                reverse("portal-api:participation-reports"), ["Mängelmelder", "Infrastruktur", "Beteiligung"],
            ),
            _dataset(
                "ideen", f"Ideen – {name}",
                "Veröffentlichte Ideen aus der Bürgerbeteiligung mit Zahl der Unterstützungen und Antwort der "
                "Verwaltung; ohne personenbezogene Daten.",
                reverse("portal-api:participation-ideas"), ["Ideen", "Bürgerbeteiligung"],
            ),
        ],
    }  # fmt: skip
    return JsonResponse(catalog, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
