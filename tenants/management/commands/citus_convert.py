"""python manage.py citus_convert — move an existing database to Citus schema-based sharding (docs/citus.md).

``--check`` (the default) runs on plain PostgreSQL: it lists what the conversion would do and what
blocks it, and exits with status 1 when something blocks. ``--apply`` needs the Citus extension in
this database (run it on the coordinator): it turns the public tables of
``tenants.citus.REFERENCE_TABLES`` into reference tables (in one transaction, the foreign keys between
them dropped and added again around it), then distributes the template schema and
every municipality schema with ``citus_schema_distribute``, one schema per transaction. What is
already converted is skipped, so an interrupted run continues where it stopped.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from tenants import citus
from tenants.models import Municipality
from tenants.template_schema import template_schema_name


def _schemas() -> list[str]:
    """The template first (new municipalities are cloned from it), then every municipality."""
    return [template_schema_name(), *Municipality.objects.order_by("schema_name").values_list("schema_name", flat=True)]


class Command(BaseCommand):
    help = "Check (default) or apply the conversion of this database to Citus schema-based sharding."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--check", action="store_true", help="Report what would be done and what blocks it.")
        mode.add_argument("--apply", action="store_true", help="Convert (needs the citus extension).")

    def handle(self, *args: Any, **options: Any) -> None:
        schemas = _schemas()
        blockers = self._report(schemas)
        if not options["apply"]:
            if blockers:
                raise CommandError(f"{blockers} problem(s) block the conversion; fix them, then run --check again.")
            self.stdout.write(self.style.SUCCESS("Nothing blocks the conversion."))
            return
        if blockers:
            raise CommandError(f"{blockers} problem(s) block the conversion: nothing was changed.")
        if citus.citus_version() is None:
            raise CommandError(
                "The citus extension is not installed in this database: install Citus on every node, run "
                "CREATE EXTENSION citus on the coordinator, add the workers (docs/citus.md), then run --apply again."
            )
        self._apply(schemas)

    def _report(self, schemas: list[str]) -> int:
        """Print the plan and every blocker; return the number of blockers."""
        write = self.stdout.write
        version = citus.citus_version()
        if version is not None:
            write(f"Citus {version} is installed in this database.")
        elif citus.citus_available():
            write("Citus is available on this server but not created in this database (CREATE EXTENSION citus).")
        else:
            write("Citus is not available on this server: --apply needs it; this check runs without it.")

        blockers: list[str] = citus.reference_table_blockers()
        done_tables = citus.existing_reference_tables()
        write("\nReference tables (copied to every node):")
        for table in sorted(citus.REFERENCE_TABLES):
            state = "already a reference table" if table in done_tables else "create_reference_table"
            write(f"  public.{table}: {state}")

        done_schemas = citus.distributed_schemas()
        todo = [schema for schema in schemas if schema not in done_schemas]
        write(f"\nSchemas: {len(schemas)} ({len(schemas) - len(todo)} already distributed, {len(todo)} to distribute)")
        narrow: list[str] = []
        for number, schema in enumerate(schemas, start=1):
            problems = citus.schema_blockers(schema)
            blockers += problems
            if number % 100 == 0 or number == len(schemas):
                write(f"  checked {number}/{len(schemas)} schemas", ending="\r" if number < len(schemas) else "\n")
            if number == 1:
                narrow = citus.narrow_identity_columns(schema)
        if narrow:
            write(
                f"\nNote: {len(narrow)} identity column(s) narrower than bigint in the template "
                f"(e.g. {narrow[0]}); some Citus versions refuse to distribute such tables — try on a staging copy."
            )
        if blockers:
            write(self.style.ERROR(f"\nBlocking ({len(blockers)}):"))
            for problem in blockers:
                write(f"  {problem}")
        return len(blockers)

    def _apply(self, schemas: list[str]) -> None:
        write = self.stdout.write
        done_tables = citus.existing_reference_tables()
        tables = sorted(set(citus.REFERENCE_TABLES) - done_tables)
        if tables:
            started = time.monotonic()
            keys = [key for key in citus.keys_among_reference_tables() if key[0] in tables]
            # One transaction: the keys between them are dropped, the tables converted, the keys restored.
            with transaction.atomic(), connection.cursor() as cursor:
                for table, name, _target, _definition in keys:
                    cursor.execute(f'ALTER TABLE public."{table}" DROP CONSTRAINT "{name}"')
                for table in tables:
                    cursor.execute("SELECT create_reference_table(%s::regclass)", [f'public."{table}"'])
                    write(f"  reference table public.{table}")
                for table, name, _target, definition in keys:
                    cursor.execute(f'ALTER TABLE public."{table}" ADD CONSTRAINT "{name}" {definition}')
            elapsed = time.monotonic() - started
            write(f"  {len(tables)} reference tables, {len(keys)} keys between them ({elapsed:.1f} s)")

        done_schemas = citus.distributed_schemas()
        todo = [schema for schema in schemas if schema not in done_schemas]
        started_all = time.monotonic()
        for number, schema in enumerate(todo, start=1):
            started = time.monotonic()
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT citus_schema_distribute(%s::regnamespace)", [f'"{schema}"'])
            except Exception as error:
                raise CommandError(
                    f"Distributing {schema} failed ({error}); {number - 1} of {len(todo)} done. "
                    "Fix the cause and run --apply again: it continues with this schema."
                ) from error
            elapsed = time.monotonic() - started_all
            remaining = elapsed / number * (len(todo) - number)
            write(f"  [{number}/{len(todo)}] {schema} ({time.monotonic() - started:.1f} s, ~{remaining:.0f} s left)")
        write(
            self.style.SUCCESS(
                f"Converted: {len(citus.REFERENCE_TABLES)} reference tables, {len(schemas)} distributed schemas."
            )
        )
