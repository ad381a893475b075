"""The migrated template schema that every new municipality is cloned from."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from tenants import hooks


def template_schema_name() -> str:
    return str(settings.TENANT_TEMPLATE_SCHEMA)


def template_schema_ensure(*, verbosity: int = 1) -> None:
    """Create the template schema if missing, migrate it, and let the apps above set it up (tenants.hooks)."""
    name = template_schema_name()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=verbosity)
    with schema_context(name):
        hooks.template_setup()
