"""Host name → municipality, remembered in the process (docs/decisions/0021-host-cache.md).

Every portal request starts by finding its municipality from the host name. The answer changes only
when a Municipality or Domain row changes, so each process keeps the answers in a dict, valid while:

- the shared *generation* in Redis (cache alias "platform", one key for the whole installation) is
  the one the entry was read under: every save or delete of a Municipality or Domain bumps it after
  the commit. A process reads it at most once per ``CHECK_SECONDS`` (one Redis round trip saved on
  almost every request under load), so other processes notice a change within that time; the
  process that made the change forgets its answers at once;
- no database rollback happened on this connection since (an answer read inside a transaction that
  was rolled back may describe rows that never existed);
- the entry is younger than ``MAX_AGE_SECONDS`` (a backstop for writes that bypass the model signals,
  e.g. ``QuerySet.update()`` or SQL typed into psql).

Without Redis the lookup goes to the database every time: slower, never wrong.
"""

from __future__ import annotations

import copy
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import transaction

from tenants.db import rollback_count
from tenants.models import Municipality
from tenants.selectors import municipality_for_host

logger = logging.getLogger(__name__)

GENERATION_KEY = "tenants:host-generation"
MAX_AGE_SECONDS = 60.0
CHECK_SECONDS = 1.0
MAX_ENTRIES = 10_000  # unknown hosts are remembered too; a flood of made-up host names cannot grow the dict


@dataclass(frozen=True)
class _Entry:
    municipality: Municipality | None
    generation: int
    rollback_count: int
    loaded: float


_entries: dict[str, _Entry] = {}


@dataclass
class _Known:
    """The shared generation as this process last read it, and when (monotonic seconds)."""

    generation: int | None = None
    checked: float = float("-inf")


_known = _Known()


def municipality_for_host_cached(hostname: str) -> Municipality | None:
    """The municipality that answers on ``hostname`` (a copy of its own per call), or None."""
    generation = _shared_generation()
    entry = _entries.get(hostname)
    now = time.monotonic()
    if (
        entry is not None
        and entry.generation == generation
        and entry.rollback_count == rollback_count()
        and now - entry.loaded < MAX_AGE_SECONDS
    ):
        return copy.copy(entry.municipality)  # request handling sets attributes on it (domain_url)
    municipality = municipality_for_host(hostname)
    if generation is not None:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[hostname] = _Entry(municipality, generation, rollback_count(), now)
        return copy.copy(municipality)
    return municipality


def host_cache_invalidate(**_signal: Any) -> None:
    """Forget every answer here at once, and everywhere when the current transaction commits."""
    _entries.clear()
    transaction.on_commit(_bump_shared_generation)


def _bump_shared_generation() -> None:
    _entries.clear()
    _known.checked = float("-inf")
    platform_cache = caches["platform"]
    try:
        try:
            platform_cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet (or evicted): any fresh value differs from what processes hold
            platform_cache.set(GENERATION_KEY, time.time_ns(), None)
    except Exception:
        # Other processes notice within MAX_AGE_SECONDS at the latest.
        logger.exception("Could not bump the host cache generation in Redis.")


def _shared_generation() -> int | None:
    now = time.monotonic()
    if now - _known.checked < CHECK_SECONDS:
        return _known.generation
    platform_cache = caches["platform"]
    try:
        generation = platform_cache.get(GENERATION_KEY)
        if generation is None:
            platform_cache.add(GENERATION_KEY, time.time_ns(), None)
            generation = platform_cache.get(GENERATION_KEY)
    except Exception:
        logger.warning("Host cache generation unreadable (Redis down?): looking hosts up in the database.")
        generation = None
    _known.generation = None if generation is None else int(generation)
    _known.checked = now
    return _known.generation
