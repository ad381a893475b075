"""Typed access to the tenant-aware database connection (django-tenants' wrapper)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from django.db import connection, transaction
from django_tenants.utils import schema_context

from tenants.models import Municipality

logger = logging.getLogger(__name__)


def _tenant_connection() -> Any:
    return cast(Any, connection)


def current_schema() -> str:
    """The schema the default connection works in right now."""
    return str(_tenant_connection().schema_name)


def use_public_schema() -> None:
    """Switch the default connection to the public schema."""
    _tenant_connection().set_schema_to_public()


def use_municipality(municipality: Municipality) -> None:
    """Switch the default connection to a municipality's schema (public stays on the path)."""
    _tenant_connection().set_tenant(municipality)


def current_tenant() -> Any:
    """The tenant object of the connection (a Municipality, or django-tenants' public stand-in)."""
    return _tenant_connection().tenant


def current_municipality() -> Municipality:
    """The municipality whose schema is active (also inside ``schema_context``, which sets a stand-in)."""
    tenant = current_tenant()
    if isinstance(tenant, Municipality):
        return tenant
    return Municipality.objects.get(schema_name=current_schema())


def on_commit_in_current_schema(callback: Callable[[], None]) -> None:
    """Run ``callback`` after the transaction commits, in the schema that is active now.

    ``transaction.on_commit`` fires when the outermost transaction commits, which may be after the
    code left the schema (e.g. a Stripe event applied to a municipality inside a platform transaction);
    work queued from a municipality must still run, and queue its tasks, in that municipality.
    """
    schema = current_schema()

    def run() -> None:
        with schema_context(schema):
            callback()

    transaction.on_commit(run)


# Any constant shared by every process on one database (migrate_all's release lock is 7_316_402_026).
SCHEMA_DDL_LOCK_KEY = 7_316_402_094


def schema_ddl_lock(*, exclusive: bool) -> None:
    """Hold the lock that orders creating and dropping municipality schemas until the transaction ends.

    Clones take it shared (they run side by side), a removal exclusively (it waits for running clones, new ones
    wait for it). It was made for a deadlock between a clone adding foreign keys into public tables and a drop
    removing them in the opposite order; ADR 0097 dropped those keys, and the lock keeps schema DDL ordered
    whatever a later migration adds. Take it before any other lock of the transaction.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("schema_ddl_lock needs a transaction: it is released when the transaction ends.")
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [SCHEMA_DDL_LOCK_KEY])


def rollback_count() -> int:
    """How many rollbacks (full or to a savepoint) the default connection has seen in this process."""
    return int(getattr(_tenant_connection(), "rollback_count", 0))


def search_path_changed() -> None:
    """Tell the connection that raw SQL changed its search path: it sends SET again before the next statement."""
    _tenant_connection().search_path_changed()
