"""Typed access to the tenant-aware database connection (django-tenants' wrapper)."""

from __future__ import annotations

from typing import Any, cast

from django.db import connection

from tenants.models import Municipality


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


def rollback_count() -> int:
    """How many rollbacks (full or to a savepoint) the default connection has seen in this process."""
    return int(getattr(_tenant_connection(), "rollback_count", 0))


def search_path_changed() -> None:
    """Tell the connection that raw SQL changed its search path: it sends SET again before the next statement."""
    _tenant_connection().search_path_changed()
