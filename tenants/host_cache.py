"""Host name → municipality, remembered in the process (docs/decisions/0021-host-cache.md).

Every portal request starts by finding its municipality from the host name. The answer changes only
when a Municipality or Domain row changes: every save or delete of one invalidates the cache
(connected in ``TenantsConfig.ready``), here at once and in every other process within a second.
Unknown hosts are remembered too; at most ``AMTSPLATZ_HOST_CACHE_ENTRIES`` hosts (least recently
used out). See :mod:`tenants.process_cache` for when an answer is trusted.
"""

from __future__ import annotations

import copy

from django.conf import settings

from tenants.models import Municipality
from tenants.process_cache import ProcessCache
from tenants.selectors import municipality_for_host

hosts: ProcessCache[str, Municipality | None] = ProcessCache(
    "tenants:host-generation", max_entries=settings.AMTSPLATZ_HOST_CACHE_ENTRIES
)


def municipality_for_host_cached(hostname: str) -> Municipality | None:
    """The municipality that answers on ``hostname`` (a copy of its own per call), or None."""
    # Request handling sets attributes on the municipality (domain_url): never hand out the cached one.
    return copy.copy(hosts.get(hostname, lambda: municipality_for_host(hostname)))
