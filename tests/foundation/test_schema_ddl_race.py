"""Removing a municipality while others are being cloned: both complete, in order, on the real PostgreSQL.

Creating and dropping municipality schemas is ordered by one advisory lock (``tenants.db.schema_ddl_lock``): clones
take it shared, a removal exclusively. The test lines them up deterministically: a third session holds the lock
shared (a clone in progress), the removal starts and waits for it, then a new clone starts and waits behind the
removal; then the third session lets go. Without the lock the removal would not wait at all. (The deadlock the lock
was made for came from foreign keys into public tables, which ADR 0097 dropped; the order stays a guarantee.)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import connection

from tenants.db import SCHEMA_DDL_LOCK_KEY
from tenants.models import Municipality
from tenants.services import municipality_create, municipality_delete
from tests.conftest import database_url


def _municipality(slug: str, ags: str) -> Municipality:
    return municipality_create(
        name=f"Gemeinde {slug.capitalize()}", slug=slug, domain=f"{slug}.localhost", ags=ags, state="14",
        admin_email=f"it@{slug}.example",
    ).municipality  # fmt: skip


def _waiting_for_a_lock(monitor: psycopg.Connection[Any], pid: int) -> bool:
    row = monitor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return bool(row and row[0] == "Lock")


def _until(condition: Callable[[], bool], what: str) -> None:
    """Wait (polling) until ``condition`` holds; a guard against a hang, not a measurement."""
    for _attempt in range(1200):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting: {what}")


class _Worker(threading.Thread):
    """Runs ``work`` on a database connection of its own; keeps its backend's pid and what went wrong."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.pid: int | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.work()
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connection.close()


def _in_a_thread(work: Callable[[], object]) -> None:
    """Run ``work`` committed, on a connection of its own (the test's connection is inside its transaction)."""
    worker = _Worker(work)
    worker.start()
    worker.join()
    if worker.error is not None:
        raise worker.error


@pytest.mark.django_db
def test_a_removal_and_a_clone_at_the_same_time_both_complete(django_db_blocker: Any) -> None:
    url = database_url(connection.settings_dict)
    doomed: list[Municipality] = []
    _in_a_thread(lambda: doomed.append(_municipality("abrissort", "14999901")))
    try:
        with psycopg.connect(url) as holder, psycopg.connect(url, autocommit=True) as monitor:
            holder.execute("SELECT pg_advisory_xact_lock_shared(%s)", [SCHEMA_DDL_LOCK_KEY])  # a clone running
            removal = _Worker(lambda: municipality_delete(doomed[0]))
            removal.start()
            _until(lambda: removal.pid is not None and _waiting_for_a_lock(monitor, removal.pid), "removal waits")
            clone = _Worker(lambda: _municipality("neubauort", "14999902"))
            clone.start()
            _until(lambda: clone.pid is not None and _waiting_for_a_lock(monitor, clone.pid), "clone waits")
            holder.rollback()  # the running clone ends
            removal.join(timeout=300)
            clone.join(timeout=300)
            assert not removal.is_alive() and not clone.is_alive()
            assert removal.error is None, removal.error
            assert clone.error is None, clone.error
            slugs = monitor.execute("SELECT array_agg(slug) FROM tenants_municipality WHERE slug LIKE %s", ["%ort"])
            schemas = monitor.execute("SELECT array_agg(nspname) FROM pg_namespace WHERE nspname LIKE %s", ["%ort"])
            assert (slugs.fetchone(), schemas.fetchone()) == ((["neubauort"],), (["neubauort"],))
    finally:

        def clean_up() -> None:
            for municipality in Municipality.objects.filter(slug__in=["abrissort", "neubauort"]):
                municipality_delete(municipality)

        _in_a_thread(clean_up)
