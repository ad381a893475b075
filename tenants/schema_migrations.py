"""Migrations across many schemas: which are behind (one query), and migrating them in parallel.

A schema is at the target state when every leaf migration of the project's migration graph is
recorded in its ``django_migrations`` table (Django applies migrations in dependency order, so a
recorded leaf implies its ancestors). One query over the catalogue answers that for every schema.

Schemas that are behind are migrated by a pool of forked worker processes; each worker is replaced
after a fixed number of schemas, which keeps memory bounded on long runs (django-tenants #1211).
Each schema migrates inside one transaction (PostgreSQL DDL is transactional): it ends either fully
at the target or exactly as before. After the first failure no further schema is started; the ones
already running finish. See docs/decisions/0010-migrations-at-scale.md.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import run_migrations
from django_tenants.utils import get_public_schema_name

from tenants.models import Municipality
from tenants.template_schema import template_schema_name

# Chosen so that the migration graph and app state that Django caches per process are rebuilt
# regularly: a worker's memory stays at a few hundred MB however many schemas there are.
DEFAULT_SCHEMAS_PER_WORKER = 50


@dataclass(frozen=True)
class SchemaState:
    schema: str
    exists: bool
    current: bool


@dataclass(frozen=True)
class SchemaResult:
    schema: str
    ok: bool
    applied: int
    seconds: float
    error: str = ""
    skipped: bool = False


def migration_targets() -> list[tuple[str, str]]:
    """The leaf migration of every app in the project's migration graph."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(loader.graph.leaf_nodes())


def tenant_schema_names() -> list[str]:
    """Every municipality's schema (suspended ones included: their data must stay migratable).

    Empty on a fresh database, before the public schema has its tables.
    """
    if Municipality._meta.db_table not in connection.introspection.table_names():
        return []
    return list(Municipality.objects.order_by("schema_name").values_list("schema_name", flat=True))


# A session-local helper: counts the recorded targets in one schema (NULL without a migration table).
# pg_temp keeps it out of every schema; plain PL/pgSQL, so it works on any PostgreSQL build.
_RECORDED_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.amtsplatz_recorded(schema_name text, targets text[]) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
    recorded integer;
BEGIN
    IF to_regclass(format('%I.django_migrations', schema_name)) IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT count(*) FROM %I.django_migrations WHERE app || ''.'' || name = ANY($1)', schema_name)
        INTO recorded USING targets;
    RETURN recorded;
END
$fn$
"""


def schema_states(schemas: Iterable[str], targets: list[tuple[str, str]] | None = None) -> dict[str, SchemaState]:
    """For each schema: does it exist with a migration table, and are all ``targets`` recorded there.

    One statement for any number of schemas: the per-schema count runs inside PostgreSQL (a session-local
    PL/pgSQL function), so there is no round trip per schema.
    """
    names = list(dict.fromkeys(schemas))
    if not names:
        return {}
    targets = migration_targets() if targets is None else targets
    wanted = [f"{app}.{name}" for app, name in targets]
    with connection.cursor() as cursor:
        cursor.execute(_RECORDED_FUNCTION)
        cursor.execute(
            "SELECT s.name, pg_temp.amtsplatz_recorded(s.name, %s) FROM unnest(%s::text[]) AS s(name)",
            [wanted, names],
        )
        rows = cursor.fetchall()
    return {
        name: SchemaState(schema=name, exists=recorded is not None, current=recorded == len(targets))
        for name, recorded in rows
    }


def schemas_behind(schemas: Iterable[str]) -> list[str]:
    """The schemas (in the given order) that are missing a migration, missing schemas included."""
    states = schema_states(schemas)
    return [name for name, state in states.items() if not state.current]


def _migrate_options(verbosity: int) -> dict[str, Any]:
    from django.core.management.commands.migrate import Command as MigrateCommand

    parser = MigrateCommand().create_parser("manage.py", "migrate")
    options = vars(parser.parse_args([]))
    # System checks ran once in the command that started the run, not once per schema.
    options.update(verbosity=verbosity, interactive=False, skip_checks=True, database="default")
    return options


def _pending_non_atomic(schema: str) -> bool:
    """Whether the schema's plan holds a migration that cannot run inside a transaction."""
    connection.set_schema(schema, include_public=False)  # type: ignore[attr-defined]
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return any(not migration.atomic for migration, _backwards in plan)
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]


def migrate_schema(schema: str, *, verbosity: int = 0, index: int | None = None, count: int | None = None) -> int:
    """Migrate one schema to the target, all or nothing; returns the number of migrations applied."""
    before = _recorded_count(schema)
    options = _migrate_options(verbosity)
    if _pending_non_atomic(schema):
        # A non-atomic migration (CREATE INDEX CONCURRENTLY, …) refuses an outer transaction.
        run_migrations([], options, "amtsplatz", schema, allow_atomic=False, idx=index, count=count)
    else:
        with transaction.atomic():
            run_migrations([], options, "amtsplatz", schema, allow_atomic=True, idx=index, count=count)
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    return _recorded_count(schema) - before


def _recorded_count(schema: str) -> int:
    table = f"{connection.ops.quote_name(schema)}.django_migrations"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(f"SELECT count(*) FROM {table}")
        return int(cursor.fetchone()[0])


# --- The worker pool --------------------------------------------------------------------------------------

_stop: Any = None  # a multiprocessing.Event shared with the workers
_verbosity = 0


def _worker_init(stop: Any, verbosity: int) -> None:
    global _stop, _verbosity
    _stop, _verbosity = stop, verbosity


def _worker_run(job: tuple[int, int, str]) -> SchemaResult:
    index, count, schema = job
    if _stop is not None and _stop.is_set():
        return SchemaResult(schema=schema, ok=False, applied=0, seconds=0.0, skipped=True)
    started = time.perf_counter()
    try:
        applied = migrate_schema(schema, verbosity=_verbosity, index=index, count=count)
    except Exception as error:
        if _stop is not None:
            _stop.set()
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        connections.close_all()  # a broken transaction must not leak into the next schema of this worker
        return SchemaResult(schema=schema, ok=False, applied=0, seconds=time.perf_counter() - started, error=detail)
    return SchemaResult(schema=schema, ok=True, applied=applied, seconds=time.perf_counter() - started)


def migrate_in_parallel(
    schemas: list[str],
    *,
    processes: int,
    schemas_per_worker: int = DEFAULT_SCHEMAS_PER_WORKER,
    verbosity: int = 0,
    on_result: Callable[[int, SchemaResult], None] | None = None,
) -> list[SchemaResult]:
    """Migrate ``schemas`` with a pool of ``processes`` forked workers; stop starting new ones after a failure.

    ``on_result`` is called in this process with (number finished, result) as each schema finishes.
    """
    results: list[SchemaResult] = []
    if not schemas:
        return results
    jobs = [(index, len(schemas), schema) for index, schema in enumerate(schemas)]
    if processes <= 1:
        _worker_init(None, verbosity)
        for job in jobs:
            result = _worker_run(job)
            results.append(result)
            if on_result:
                on_result(len(results), result)
            if not result.ok:
                break
        return results

    # Forked workers must not share this process's database socket.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    with context.Pool(
        processes=processes,
        initializer=_worker_init,
        initargs=(stop, verbosity),
        maxtasksperchild=schemas_per_worker,
    ) as pool:
        for result in pool.imap_unordered(_worker_run, jobs, chunksize=1):
            if result.skipped:
                continue
            results.append(result)
            if on_result:
                on_result(len(results), result)
        pool.close()
        pool.join()
    return results


def public_schema_name() -> str:
    return str(get_public_schema_name())


def all_schema_names() -> list[str]:
    """Public, template and every municipality: the schemas a release has to bring to the target."""
    return [public_schema_name(), template_schema_name(), *tenant_schema_names()]
