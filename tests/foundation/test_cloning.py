"""A cloned municipality schema is structurally identical to the template."""

from __future__ import annotations

import pytest
from django.db import connection

from tenants.models import Municipality
from tenants.template_schema import template_schema_name

pytestmark = pytest.mark.django_db


def _structure(schema: str) -> dict[str, set[tuple[str, ...]]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, ''), "
            "is_identity FROM information_schema.columns WHERE table_schema = %s",
            [schema],
        )
        columns = {tuple(row) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname, con.conname, con.contype::text, "
            "replace(pg_get_constraintdef(con.oid), %s, '') FROM pg_constraint con "
            "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s",
            [f"{schema}.", schema],
        )
        constraints = {tuple(row) for row in cursor.fetchall()}
        cursor.execute(
            "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes WHERE schemaname = %s",
            [f" ON {schema}.", schema],
        )
        # A partial index's WHERE clause is re-parsed on replay and may print with other casts
        # (same meaning); compare it by presence, everything before it by text.
        indexes = {
            (name, definition.split(" WHERE ")[0], " WHERE " in definition) for name, definition in cursor.fetchall()
        }
    return {"columns": columns, "constraints": constraints, "indexes": indexes}


def test_clone_has_the_templates_tables_constraints_and_indexes(gera: Municipality) -> None:
    template = _structure(template_schema_name())
    clone = _structure("gera")
    assert len(template["columns"]) > 200
    assert clone["columns"] == template["columns"]
    assert clone["constraints"] == template["constraints"]
    assert clone["indexes"] == template["indexes"]


def test_clone_foreign_keys_stay_inside_the_clone(gera: Municipality) -> None:
    """Keys into public tables were dropped (ADR 0097): each put two triggers per municipality on a public table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT rn.nspname FROM pg_constraint con "
            "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace "
            "WHERE n.nspname = 'gera' AND con.contype = 'f'"
        )
        assert {row[0] for row in cursor.fetchall()} == {"gera"}


def test_clone_identity_sequences_continue_after_copied_rows(gera: Municipality) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND a.attidentity <> ''",
            [template_schema_name()],
        )
        identity_columns = cursor.fetchall()
        assert identity_columns
        for table, column in identity_columns:
            cursor.execute(f'SELECT coalesce(max("{column}"), 0) FROM {template_schema_name()}."{table}"')
            (template_max,) = cursor.fetchone()
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('gera.\"{table}\"', '{column}'))")
            (next_value,) = cursor.fetchone()
            assert next_value > template_max, table
