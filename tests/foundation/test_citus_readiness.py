"""The migrated schemas meet what Citus schema-based sharding requires (docs/citus.md, ADR 0070).

Reads the real template schema's catalogue: a municipality table may reference only tables of its own
schema or the public tables listed in ``tenants.citus.REFERENCE_TABLES``, and nothing may reference it
from outside. A new foreign key that Citus could not distribute fails here, not on the day of the move.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from tenants import citus
from tenants.models import Municipality
from tenants.template_schema import template_schema_name

pytestmark = pytest.mark.django_db


def test_the_template_schema_could_be_distributed() -> None:
    problems = citus.schema_blockers(template_schema_name())
    assert problems == [], "Citus could not distribute the template schema:\n" + "\n".join(problems)


def test_a_cloned_municipality_could_be_distributed(gera: Municipality) -> None:
    assert citus.schema_blockers(gera.schema_name) == []


def test_the_reference_tables_reference_only_reference_tables() -> None:
    problems = citus.reference_table_blockers()
    assert problems == [], "\n".join(problems)


def test_every_listed_reference_table_is_needed() -> None:
    # Municipality tables point at public tables through model relations; the database keys are not kept
    # (ADR 0097), so what is needed is read from the models: relations of tenant-only apps into public.
    public_only = set(settings.SHARED_APPS) - set(settings.TENANT_APPS)
    needed = set()
    for model in apps.get_models():
        if model._meta.app_config.name in settings.SHARED_APPS:
            continue
        for field in model._meta.get_fields():
            target = field.related_model if field.is_relation and field.concrete else None
            if target is not None and target._meta.app_config.name in public_only:
                needed.add(target._meta.db_table)
    for table in citus.REFERENCE_TABLES:
        needed |= {key.target_table for key in citus.public_foreign_keys(table) if key.target_schema == "public"}
    stale = set(citus.REFERENCE_TABLES) - needed
    assert stale == set(), "listed as reference tables, but nothing in a municipality needs them"


def test_the_check_sees_keys_citus_would_refuse(gera: Municipality, wurzen: Municipality) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE public.citus_probe_local (id bigint PRIMARY KEY)")
        cursor.execute(
            f'CREATE TABLE "{gera.schema_name}".citus_probe ('
            "id bigint PRIMARY KEY, local_id bigint REFERENCES public.citus_probe_local (id))"
        )
        cursor.execute(
            f'CREATE TABLE "{wurzen.schema_name}".citus_probe ('
            f'id bigint PRIMARY KEY, gera_id bigint REFERENCES "{gera.schema_name}".citus_probe (id))'
        )
    gera_problems = citus.schema_blockers(gera.schema_name)
    wurzen_problems = citus.schema_blockers(wurzen.schema_name)
    assert any("public.citus_probe_local" in problem for problem in gera_problems)
    assert any(f"{wurzen.schema_name}.citus_probe → {gera.schema_name}" in p for p in gera_problems)
    assert any(f"→ {gera.schema_name}.citus_probe" in problem for problem in wurzen_problems)
    # Listing the public table as a reference table clears the first problem, not the cross-schema one.
    listed = (*citus.REFERENCE_TABLES, "citus_probe_local")
    assert not any("citus_probe_local" in problem for problem in citus.foreign_key_blockers(gera.schema_name, listed))


def test_inherited_tables_are_reported(gera: Municipality) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{gera.schema_name}".citus_parent (id bigint)')
        cursor.execute(f'CREATE TABLE "{gera.schema_name}".citus_child () INHERITS ("{gera.schema_name}".citus_parent)')
    problems = citus.table_blockers(gera.schema_name)
    assert any("citus_child" in problem and "inherit" in problem for problem in problems)


def test_the_keys_between_reference_tables_are_found_for_the_conversion() -> None:
    keys = {(table, target) for table, _name, target, _definition in citus.keys_among_reference_tables()}
    assert ("services_catalog_serviceversion", "auth_user") in keys
    assert ("services_catalog_serviceversion", "services_catalog_servicedefinition") in keys
    assert ("services_catalog_servicedefinition", "services_catalog_serviceversion") in keys
