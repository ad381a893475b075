"""Answers a process remembers, forgotten everywhere when what they were read from changes (ADR 0021).

A :class:`ProcessCache` keeps ``key → value`` in the process. An entry is valid while:

- the shared *generation* in Redis (cache alias "platform", one key per cache for the whole
  installation) is the one the entry was read under. :meth:`ProcessCache.invalidate`, connected to
  the model signals of what the values are read from (:meth:`ProcessCache.forget_on_change`),
  forgets this process's entries at once and bumps the generation after the commit. A process reads
  the generation at most once per ``check_seconds``, so other processes notice a change within that
  time;
- no database rollback happened on this connection since (a value read inside a transaction that
  was rolled back may describe rows that never existed);
- the entry is younger than ``max_age_seconds`` (a backstop for writes that bypass the model
  signals, e.g. ``QuerySet.update()`` or SQL typed into psql).

At most ``max_entries`` values are kept: the least recently used one goes first, so a process that
serves thousands of municipalities keeps the hot ones and its memory stays bounded (issue 26).

Without Redis nothing is remembered: every lookup asks the database (slower, never wrong).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from amtsplatz.infra.cache import CacheUnavailable
from tenants.db import rollback_count

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class _Entry(Generic[V]):
    value: V
    generation: int
    rollback_count: int
    loaded: float


class ProcessCache(Generic[K, V]):
    """Values by key in this process, checked against the shared generation ``generation_key``."""

    def __init__(
        self,
        generation_key: str,
        *,
        max_entries: int = 10_000,
        max_age_seconds: float = 60.0,
        check_seconds: float = 1.0,
    ) -> None:
        self.generation_key = generation_key
        self.max_entries = max_entries  # least recently used first out: neither made-up keys nor a fleet grow it
        self.max_age_seconds = max_age_seconds
        self.check_seconds = check_seconds
        self.known_generation: int | None = None
        self.generation_checked = float("-inf")  # monotonic seconds
        self._entries: OrderedDict[K, _Entry[V]] = OrderedDict()

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The remembered value of ``key`` while valid, else what ``load()`` returns (then remembered)."""
        generation = self._shared_generation()
        entry = self._entries.get(key)
        now = time.monotonic()
        if (
            entry is not None
            and entry.generation == generation
            and entry.rollback_count == rollback_count()
            and now - entry.loaded < self.max_age_seconds
        ):
            self._entries.move_to_end(key)
            return entry.value
        value = load()
        if generation is not None:
            self._entries[key] = _Entry(value, generation, rollback_count(), now)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def forget_on_change(self, *models: type[Model]) -> None:
        """Invalidate whenever a row of one of ``models`` is saved or deleted (call from ``AppConfig.ready``)."""
        for model in models:
            for signal in (post_save, post_delete):
                uid = f"{self.generation_key}-{model._meta.label}-{id(signal)}"
                signal.connect(self.invalidate, sender=model, dispatch_uid=uid)

    def invalidate(self, **_signal: Any) -> None:
        """Forget every value here at once, and everywhere when the current transaction commits.

        Takes a model signal's keyword arguments, so it can be connected to post_save and post_delete.
        """
        self._entries.clear()
        transaction.on_commit(self.bump_shared_generation)

    def bump_shared_generation(self) -> None:
        """Move the shared generation on: every process forgets its values within ``check_seconds``."""
        self._entries.clear()
        self.generation_checked = float("-inf")
        platform_cache = caches["platform"]
        try:
            try:
                platform_cache.incr(self.generation_key)
            except ValueError:  # no generation yet (or evicted): any fresh value differs from what processes hold
                platform_cache.set(self.generation_key, time.time_ns(), None)
        except Exception:
            # Other processes notice within max_age_seconds at the latest.
            logger.exception("Could not bump the cache generation %s in Redis.", self.generation_key)

    def _shared_generation(self) -> int | None:
        now = time.monotonic()
        if now - self.generation_checked < self.check_seconds:
            return self.known_generation
        platform_cache = caches["platform"]
        try:
            generation = platform_cache.get(self.generation_key)
            if generation is None:
                platform_cache.add(self.generation_key, time.time_ns(), None)
                generation = platform_cache.get(self.generation_key)
        except CacheUnavailable:  # Redis away (logged once by amtsplatz.infra.cache)
            generation = None
        except Exception:
            logger.warning("Cache generation %s unreadable (Redis down?): reading the database.", self.generation_key)
            generation = None
        self.known_generation = None if generation is None else int(generation)
        self.generation_checked = now
        return self.known_generation
