"""Readiness: can this process serve requests? Database, cache, broker and storage, each checked briefly.

Only the database is ``REQUIRED``: without it no page answers. Without Redis (cache and broker) the pages are
served uncached and filings are swept later; without storage only uploads and media fail. Those report
"degraded" but keep the pod in service, since taking every web pod out would not bring them back (ADR 0073).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def check_broker() -> None:
    from amtsplatz.celery import app

    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        client = getattr(broker.default_channel, "client", None)
        if client is not None:  # Redis connects lazily: ask it
            client.ping()


def check_storage() -> None:
    """S3: the bucket answers (HEAD); local storage: the media folders are writable."""
    for alias in ("default", "private"):
        storage = storages[alias]
        bucket_name = getattr(storage, "bucket_name", None)
        if bucket_name:
            storage.connection.meta.client.head_bucket(Bucket=bucket_name)  # type: ignore[attr-defined]
            return
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise RuntimeError(f"{folder} is not writable")


REQUIRED = frozenset({"database"})

CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
}


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok" or "unavailable" (details go to the log, not to the caller)."""
    outcome: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            outcome[name] = "ok"
        except Exception:
            logger.exception("Readiness check %s failed", name)
            outcome[name] = "unavailable"
    return outcome
