"""What Citus schema-based sharding requires of our database, read from the catalogue (ADR 0070).

With Citus every municipality schema becomes a *distributed schema*: its tables live together on one
node. A table in such a schema may reference only tables of its own schema or *reference tables*
(copied to every node) in regular schemas, and no table of another schema may reference it. The
public tables that municipality tables reference are therefore listed here, in one place:
:data:`REFERENCE_TABLES`. The test in tests/foundation/test_citus_readiness.py and the command
``manage.py citus_convert`` both read the catalogue against this list. See docs/citus.md.

Everything here is plain SQL on ``pg_catalog`` and runs on PostgreSQL without Citus.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

# Public tables that municipality tables reference (model relations; the database keys into public are
# dropped, ADR 0097, but queries still join them): they become Citus reference tables. A reference table
# may only reference other reference tables, so the list is closed under foreign keys.
REFERENCE_TABLES: tuple[str, ...] = (
    "auth_user",  # who published a catalogue version (services_catalog_serviceversion.published_by)
    "django_content_type",  # Wagtail pages, revisions, logs, permissions, tags
    "services_catalog_servicedefinition",  # adopted services (local_services_localservice)
    "services_catalog_serviceversion",  # pinned versions, the version an application was filed under
)


@dataclass(frozen=True)
class ForeignKey:
    name: str
    schema: str
    table: str
    target_schema: str
    target_table: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.table} → {self.target_schema}.{self.target_table} ({self.name})"


_FOREIGN_KEYS_SQL = """
    SELECT con.conname, n.nspname, c.relname, rn.nspname, rc.relname
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE con.contype = 'f' AND {where}
    ORDER BY 2, 3, 1
"""


def _foreign_keys(where: str, params: list[str]) -> list[ForeignKey]:
    with connection.cursor() as cursor:
        cursor.execute(_FOREIGN_KEYS_SQL.format(where=where), params)
        return [ForeignKey(*row) for row in cursor.fetchall()]


def foreign_keys_leaving(schema: str) -> list[ForeignKey]:
    """Foreign keys from tables of ``schema`` to tables of any other schema."""
    return _foreign_keys("n.nspname = %s AND rn.nspname <> %s", [schema, schema])


def foreign_keys_entering(schema: str) -> list[ForeignKey]:
    """Foreign keys from tables of any other schema to tables of ``schema``."""
    return _foreign_keys("rn.nspname = %s AND n.nspname <> %s", [schema, schema])


def foreign_key_blockers(schema: str, reference_tables: Iterable[str] = REFERENCE_TABLES) -> list[str]:
    """Why Citus would refuse to distribute ``schema`` because of its foreign keys (empty: it would not)."""
    allowed = {("public", table) for table in reference_tables}
    problems = [
        f"{key}: the target is not a reference table (add it to tenants.citus.REFERENCE_TABLES if it belongs "
        f"in public, or move the reference into the municipality schema)"
        for key in foreign_keys_leaving(schema)
        if (key.target_schema, key.target_table) not in allowed
    ]
    problems += [
        f"{key}: a table outside a distributed schema may not reference it" for key in foreign_keys_entering(schema)
    ]
    return problems


def public_foreign_keys(table: str) -> list[ForeignKey]:
    """Foreign keys from the public table ``table`` to any table."""
    return _foreign_keys("n.nspname = 'public' AND c.relname = %s", [table])


def reference_table_blockers(reference_tables: Iterable[str] = REFERENCE_TABLES) -> list[str]:
    """Listed reference tables that are missing, or reference a table that is no reference table."""
    tables = set(reference_tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname = ANY(%s)",
            [sorted(tables)],
        )
        present = {row[0] for row in cursor.fetchall()}
    problems = [f"public.{table}: listed as reference table but does not exist" for table in sorted(tables - present)]
    for table in sorted(present):
        for key in public_foreign_keys(table):
            if key.target_schema != "public" or key.target_table not in tables:
                problems.append(f"{key}: a reference table may only reference reference tables")
    return problems


def table_blockers(schema: str) -> list[str]:
    """Table kinds Citus refuses in a distributed schema, and tables the current user does not own."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname,
                   c.relkind = 'f',
                   EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid OR i.inhparent = c.oid),
                   pg_get_userbyid(c.relowner) <> current_user
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'f')
            ORDER BY 1
            """,
            [schema],
        )
        rows = cursor.fetchall()
    problems = []
    for table, foreign, inherits, foreign_owner in rows:
        if foreign:
            problems.append(f"{schema}.{table}: foreign tables cannot live in a distributed schema")
        if inherits:
            problems.append(f"{schema}.{table}: tables in a distributed schema cannot inherit or be inherited")
        if foreign_owner:
            problems.append(f"{schema}.{table}: owned by another role; citus_schema_distribute needs the owner")
    return problems


def narrow_identity_columns(schema: str) -> list[str]:
    """Identity columns narrower than bigint: some Citus versions refuse to distribute their tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND a.attidentity <> '' AND a.atttypid <> 'bigint'::regtype ORDER BY 1, 2",
            [schema],
        )
        return [f"{schema}.{table}.{column} ({kind})" for table, column, kind in cursor.fetchall()]


def schema_blockers(schema: str) -> list[str]:
    """Everything that stops ``citus_schema_distribute(schema)`` (empty: nothing known)."""
    return foreign_key_blockers(schema) + table_blockers(schema)


def keys_among_reference_tables(
    reference_tables: Iterable[str] = REFERENCE_TABLES,
) -> list[tuple[str, str, str, str]]:
    """``(table, constraint, target table, definition)`` of the foreign keys between reference tables.

    They may form cycles (a definition and its latest version reference each other), so the conversion
    drops them, creates the reference tables, and adds them again: Citus allows keys between reference
    tables, but not from a reference table to a table that is not one yet.
    """
    tables = sorted(set(reference_tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, con.conname, rc.relname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
            "WHERE con.contype = 'f' AND n.nspname = 'public' AND rn.nspname = 'public' "
            "AND c.relname = ANY(%s) AND rc.relname = ANY(%s) ORDER BY 1, 2",
            [tables, tables],
        )
        return [(row[0], row[1], row[2], row[3]) for row in cursor.fetchall()]


def citus_version() -> str | None:
    """The installed Citus extension's version in this database, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'citus'")
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def citus_available() -> bool:
    """Whether the server could load Citus (CREATE EXTENSION citus would find it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'citus'")
        return cursor.fetchone() is not None


def distributed_schemas() -> set[str]:
    """Schemas Citus already distributes (empty without Citus)."""
    if citus_version() is None:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name::text FROM citus_schemas")
        return {row[0] for row in cursor.fetchall()}


def existing_reference_tables() -> set[str]:
    """Public tables that already are Citus reference tables (empty without Citus)."""
    if citus_version() is None:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND p.partmethod = 'n'"
        )
        return {row[0] for row in cursor.fetchall()}
