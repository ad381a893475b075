"""Reads of the shared catalogue (public schema)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Q, QuerySet

from services_catalog.exchange import content_to_document, export_document
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.search import rank_versions
from tenants.cross_schema import query_all_municipalities
from tenants.models import Municipality


def published_version(version_id: int) -> ServiceVersion:
    """A published version by id, read from the database once per process (a copy of its own per call).

    Published versions never change (the database refuses UPDATE and DELETE of their rows), so they
    can be kept without invalidation; the copy keeps what a caller caches on it (e.g. the definition,
    which does change) out of the kept one.
    """
    return copy.copy(_published_version(version_id))


@lru_cache(maxsize=1024)
def _published_version(version_id: int) -> ServiceVersion:
    return ServiceVersion.objects.defer("search_vector").get(pk=version_id)


def published_definitions() -> QuerySet[ServiceDefinition]:
    """Definitions with at least one published version, with that version loaded."""
    return ServiceDefinition.objects.filter(latest_version__isnull=False).select_related("latest_version")


def catalogue_export() -> dict[str, Any]:
    """The whole published catalogue as one exchange document."""
    documents = []
    for definition in published_definitions().order_by("key"):
        assert definition.latest_version is not None
        documents.append(content_to_document(definition.latest_version, definition.key))
    return export_document(documents)


def catalogue_search(
    *, query: str = "", life_situation: str | None = None, include_drafts: bool = False
) -> list[ServiceDefinition]:
    """Definitions for the office list and the platform API, A–Z or by relevance."""
    definitions = ServiceDefinition.objects.select_related("latest_version")
    if not include_drafts:
        definitions = definitions.filter(latest_version__isnull=False)
    if life_situation:
        definitions = definitions.filter(life_situations__contains=[life_situation])
    if not query.strip():
        return list(definitions.order_by("name_de"))
    found = list(definitions)
    ranks = rank_versions(query, [d.latest_version_id for d in found if d.latest_version_id])
    text_matches = {
        d.pk for d in definitions.filter(Q(name_de__icontains=query) | Q(key__icontains=query) | Q(leika_key=query))
    }
    scored = [(ranks.get(d.latest_version_id or 0, 0.0) + (1.0 if d.pk in text_matches else 0.0), d) for d in found]
    return [d for score, d in sorted(scored, key=lambda item: (-item[0], item[1].name_de)) if score > 0]


@dataclass(frozen=True)
class Adoption:
    municipality_slug: str
    municipality_name: str
    offered_version: int | None
    follows_latest: bool
    enabled: bool
    online_available: bool


def adoption_overview(definition: ServiceDefinition) -> list[Adoption]:
    """Which municipalities offer this service, on which version (one query across all schemas)."""
    # Each branch reads one small table; version numbers are joined once afterwards, because
    # planning a join in every one of 1,000 branches costs more than the reads themselves.
    rows = query_all_municipalities(
        "SELECT enabled, online_available, pinned_version_id FROM {schema}.local_services_localservice "
        "WHERE definition_id = %s",
        [definition.pk],
    )
    names = dict(Municipality.objects.values_list("slug", "name"))
    pinned_ids = {pinned for *_rest, pinned in rows if pinned is not None}
    numbers = dict(ServiceVersion.objects.filter(pk__in=pinned_ids).values_list("pk", "number"))
    latest = definition.latest_version.number if definition.latest_version else None
    return [
        Adoption(
            municipality_slug=slug,
            municipality_name=names.get(slug, slug),
            offered_version=numbers[pinned] if pinned is not None else latest,
            follows_latest=pinned is None,
            enabled=enabled,
            online_available=online,
        )
        for slug, enabled, online, pinned in rows
    ]
