"""Fast cloning of the template schema into a new municipality schema.

django-tenants' PL/pgSQL ``clone_schema`` inspects the catalogue table by table on every call
(~0.6 s for our ~50 tables). The template's structure only changes with migrations, so we read
it once per process into a DDL script and replay that script for each new schema: tables with
defaults and identity columns, rows, identity positions, then constraints and indexes under
their original names (later migrations refer to them by name). The script is cached per
migration state of the template. See docs/decisions/0003-clone-script.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from tenants.db import current_schema, search_path_changed


class UnsupportedTemplateError(RuntimeError):
    """The template holds objects the clone script does not copy (views, functions, ...)."""


@dataclass(frozen=True)
class CloneScript:
    template: str
    fingerprint: str
    tables: tuple[str, ...]
    table_ddl: tuple[str, ...]
    identity_columns: tuple[tuple[str, str], ...]
    constraint_ddl: tuple[str, ...]
    index_ddl: tuple[str, ...]

    def statements(self, target: str, restore_search_path: str) -> list[str]:
        """The SQL that turns an empty ``target`` schema into a copy of the template."""
        quoted_template = _quote(self.template)
        quoted_target = _quote(target)
        statements = [f"CREATE SCHEMA {quoted_target}"]
        statements += [ddl.format(target=quoted_target) for ddl in self.table_ddl]
        statements += [
            f"INSERT INTO {quoted_target}.{_quote(table)} OVERRIDING SYSTEM VALUE "
            f"SELECT * FROM {quoted_template}.{_quote(table)}"
            for table in self.tables
        ]
        statements += [
            f"SELECT setval(pg_get_serial_sequence('{quoted_target}.{_quote(table)}', '{column}'), "
            f"COALESCE((SELECT max({_quote(column)}) FROM {quoted_target}.{_quote(table)}), 0) + 1, false)"
            for table, column in self.identity_columns
        ]
        # Unqualified references in the constraint definitions mean the target's own tables.
        statements.append(f"SET search_path TO {quoted_target}")
        statements += [ddl.format(target=quoted_target) for ddl in self.constraint_ddl]
        statements += [ddl.format(target=quoted_target) for ddl in self.index_ddl]
        statements.append(f"SET search_path TO {restore_search_path}")
        return statements


_cache: dict[str, CloneScript] = {}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _fingerprint(template: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {_quote(template)}.django_migrations")
        count, last = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            [template],
        )
        (objects,) = cursor.fetchone()
    return f"{count}:{last}:{objects}"


def _check_supported(template: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %(s)s AND c.relkind NOT IN ('r', 'i', 'S')),
              (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = %(s)s),
              (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %(s)s AND NOT t.tgisinternal),
              (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %(s)s AND a.attgenerated <> ''),
              (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %(s)s AND c.relkind = 'S'
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i'))
            """,
            {"s": template},
        )
        others, functions, triggers, generated, sequences = cursor.fetchone()
    if others or functions or triggers or generated or sequences:
        raise UnsupportedTemplateError(
            f"Template schema {template} holds objects the clone script does not copy "
            f"(other relations {others}, functions {functions}, triggers {triggers}, "
            f"generated columns {generated}, free sequences {sequences})."
        )


def _build(template: str, fingerprint: str) -> CloneScript:
    _check_supported(template)
    previous_schema = current_schema()
    with connection.cursor() as cursor:
        # With only the template on the search path, the catalogue functions print references
        # into the template unqualified (they then resolve to the target schema) and references
        # into public qualified.
        cursor.execute(f"SET search_path TO {_quote(template)}")
        try:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY c.relname",
                [template],
            )
            tables = tuple(row[0] for row in cursor.fetchall())
            cursor.execute(
                "SELECT c.relname, a.attname FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND a.attidentity <> '' ORDER BY 1, 2",
                [template],
            )
            identity_columns = tuple((row[0], row[1]) for row in cursor.fetchall())
            cursor.execute(
                "SELECT c.relname, con.conname, pg_get_constraintdef(con.oid) "
                "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'f', 'x') "
                "ORDER BY CASE con.contype WHEN 'f' THEN 1 ELSE 0 END, c.relname, con.conname",
                [template],
            )
            constraint_ddl = tuple(
                f"ALTER TABLE {{target}}.{_quote(table)} ADD CONSTRAINT {_quote(name)} "
                + definition.replace("{", "{{").replace("}", "}}")
                for table, name, definition in cursor.fetchall()
            )
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid) "
                "ORDER BY i.relname",
                [template],
            )
            qualified = f" ON {_quote(template) if not template.isidentifier() else template}."
            index_ddl = []
            for _name, definition in cursor.fetchall():
                if qualified not in definition:
                    raise UnsupportedTemplateError(f"Unexpected index definition: {definition}")
                escaped = definition.replace("{", "{{").replace("}", "}}")
                index_ddl.append(escaped.replace(qualified, " ON {target}.", 1))
        finally:
            cursor.execute(f"SET search_path TO {_quote(previous_schema)}, public")
            search_path_changed()
    table_ddl = tuple(
        f"CREATE TABLE {{target}}.{_quote(table)} (LIKE {_quote(template)}.{_quote(table)} "
        "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING COMMENTS "
        "INCLUDING STORAGE)"
        for table in tables
    )
    return CloneScript(
        template=template,
        fingerprint=fingerprint,
        tables=tables,
        table_ddl=table_ddl,
        identity_columns=identity_columns,
        constraint_ddl=constraint_ddl,
        index_ddl=tuple(index_ddl),
    )


def clone_script(template: str) -> CloneScript:
    """The clone script for ``template``, rebuilt when the template's migration state changed."""
    fingerprint = _fingerprint(template)
    script = _cache.get(template)
    if script is None or script.fingerprint != fingerprint:
        script = _build(template, fingerprint)
        _cache[template] = script
    return script


def clone_schema(template: str, target: str) -> None:
    """Create schema ``target`` as a copy of ``template`` (structure and rows)."""
    script = clone_script(template)
    restore = f"{_quote(current_schema())}, public"
    try:
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(script.statements(target, restore)))
    finally:
        search_path_changed()
