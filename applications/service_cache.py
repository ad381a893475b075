"""The adopted service an application is filed for, remembered per process (ADR 0030).

Filing reads the municipality's adoption of a service with its definition and desk on every
submission, yet these change only when an editor saves them. The answer (also "not offered") is
kept per (schema, service key) in a :class:`~tenants.process_cache.ProcessCache` that every save or
delete of an adoption, a desk, a shared definition or a municipality invalidates (connected in
``ApplicationsConfig.ready``): here at once, in every other process within a second. At most
``AMTSPLATZ_ADOPTION_CACHE_ENTRIES`` answers are kept (least recently used out).
"""

from __future__ import annotations

import copy

from django.conf import settings

from services_catalog.local.models import LocalService
from services_catalog.local.selectors import adopted_services, with_versions
from tenants.db import current_schema
from tenants.process_cache import ProcessCache

adoptions: ProcessCache[tuple[str, str], LocalService | None] = ProcessCache(
    "applications:adoption-generation", max_entries=settings.AMTSPLATZ_ADOPTION_CACHE_ENTRIES
)


def adopted_service_cached(key: str) -> LocalService | None:
    """The current municipality's enabled adoption of service ``key`` with definition, desk and versions."""
    found = adoptions.get((current_schema(), key), lambda: _load(key))
    return None if found is None else _own_copy(found)


def _load(key: str) -> LocalService | None:
    return adopted_services().select_related("desk").filter(definition__key=key).first()


def _own_copy(service: LocalService) -> LocalService:
    """A copy per caller: whatever a request sets on the service or its relations stays in that request."""
    copied = copy.copy(service)  # Model.__reduce__ copies the related-objects cache too
    copied.definition = copy.copy(service.definition)
    desk = getattr(service, "desk", None)  # reverse one-to-one: absent when no desk was set up
    if desk is not None:
        copied.desk = copy.copy(desk)
    return with_versions([copied])[0]
