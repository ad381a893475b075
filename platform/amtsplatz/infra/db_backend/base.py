"""django-tenants' database wrapper, sending ``SET search_path`` only when the session's path must change.

Stock django-tenants sends ``SET search_path`` before every statement (half of all statements of a
portal page), or, with ``TENANT_LIMIT_SET_CALLS``, once per ``set_tenant``. This wrapper instead
remembers the path *in effect* in the database session and sends ``SET`` only when the wanted path
differs from it. What it remembers is forgotten whenever the session may have lost the path:

- ``rollback()`` and ``savepoint_rollback()``: a ``SET`` is transactional in PostgreSQL, so rolling
  back the transaction (or savepoint) that issued it restores the previous path;
- a new or closed connection (a new session starts with the server's default path);
- a failed ``SET`` (inside an aborted transaction);
- ``search_path_changed()``, called by code that sends its own ``SET search_path`` (schema cloning).

Entering a schema (``set_tenant``) is pure Python: no statement, and no ContentType cache flush while
``django.contrib.contenttypes`` lives in the public schema only (one table, the same ids for every
schema). See docs/decisions/0020-search-path-in-effect.md.

In the benchmark-only pinned mode (settings ``AMTSPLATZ_PIN_SCHEMA``) every new session starts with the
pinned path from the connection options, and the wrapper knows it from the start.
"""

from __future__ import annotations

from typing import Any

import django.db.utils
import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.utils.asyncio import async_unsafe
from django_tenants.postgresql_backend import base as tenant_base
from django_tenants.utils import quote_schema_name

# One django_content_type table (in public) serves every schema: its cache need not be flushed on a switch.
_CONTENT_TYPES_SHARED = "django.contrib.contenttypes" not in getattr(settings, "TENANT_APPS", [])


def pinned_search_path() -> tuple[str, ...] | None:
    """The search path every session starts with in the benchmark-only pinned mode, else None."""
    schema = getattr(settings, "AMTSPLATZ_PINNED_SCHEMA", "")
    return (schema, "public") if schema else None


class DatabaseWrapper(tenant_base.DatabaseWrapper):
    """Tenant-aware wrapper that tracks the ``search_path`` actually in effect in the session."""

    _setting_search_path: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.search_path_in_effect: tuple[str, ...] | None = None
        # Incremented by every rollback: in-process caches filled inside a transaction compare it.
        self.rollback_count = 0
        # Municipality schemas this session has worked in: PostgreSQL caches catalogue entries for each
        # (see amtsplatz.infra.db_backend.recycling).
        self.schemas_served: set[str] = set()
        super().__init__(*args, **kwargs)

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        self.search_path_in_effect = pinned_search_path()
        self.schemas_served = set()
        return super().get_new_connection(conn_params)

    def close(self) -> None:
        self.search_path_in_effect = None
        self.schemas_served = set()
        super().close()

    @async_unsafe
    def rollback(self) -> None:
        self.search_path_in_effect = None
        self.rollback_count += 1
        super().rollback()

    @async_unsafe
    def savepoint_rollback(self, sid: str) -> None:
        try:
            super().savepoint_rollback(sid)
        finally:
            # Forgotten after the rollback: forgetting first would make the ROLLBACK TO SAVEPOINT
            # statement's own cursor send a SET that the rollback then undoes.
            self.search_path_in_effect = None
            self.rollback_count += 1

    def search_path_changed(self) -> None:
        """Forget the path in effect: the caller sent its own ``SET search_path`` on this connection."""
        self.search_path_in_effect = None

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        """Select the tenant whose schema the next statement runs in; sends nothing to the database."""
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        if tenant_base.EXTRA_SET_TENANT_METHOD:
            tenant_base.EXTRA_SET_TENANT_METHOD(self, tenant)
        self.search_path_set_schemas = None
        if not _CONTENT_TYPES_SHARED:
            ContentType.objects.clear_cache()

    def _handle_search_path(self, cursor: Any = None) -> None:
        """Send ``SET search_path`` when the selected schema's path is not the one in effect."""
        if self._setting_search_path:
            return  # re-entered while obtaining the cursor below
        if not self.schema_name:
            raise ImproperlyConfigured("Database schema not set: call set_schema() or set_tenant() first.")
        wanted = tuple(self._get_cursor_search_paths())
        if wanted == self.search_path_in_effect:
            return
        self._setting_search_path = True
        cursor_for_search_path = self.connection.cursor() if cursor is None else cursor
        try:
            cursor_for_search_path.execute(
                "SET search_path = {}".format(",".join(quote_schema_name(schema) for schema in wanted))
            )
        except (django.db.utils.DatabaseError, psycopg.InternalError):
            # An aborted transaction refuses the SET; whatever comes next fails too or rolls back.
            self.search_path_in_effect = None
        else:
            self.search_path_in_effect = wanted
            if wanted[0] != "public":
                self.schemas_served.add(wanted[0])
        finally:
            self._setting_search_path = False
            if cursor is None:
                cursor_for_search_path.close()
