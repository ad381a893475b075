"""Migrations across many schemas: which are behind (one query), and migrating them in parallel.

A schema is at the target state when every leaf migration of the project's migration graph is
recorded in its ``django_migrations`` table (Django applies migrations in dependency order, so a
recorded leaf implies its ancestors). One query over the catalogue answers that for every schema.

Schemas that are behind are migrated by a pool of forked worker processes; each worker is replaced
after a fixed number of schemas, which keeps memory bounded on long runs (django-tenants #1211).
Each schema migrates inside one transaction (PostgreSQL DDL is transactional): it ends either fully
at the target or exactly as before. After the first failure no further schema is started; the ones
already running finish. See docs/decisions/0010-migrations-at-scale.md.

When every operation of the release is plain DDL whose SQL does not depend on the schema (an added
column, an index, a constraint, raw SQL), the SQL is collected once and replayed in each schema with
its ``django_migrations`` rows, in one transaction per schema (:class:`SqlReplay`, ADR 0097); a schema
at another applied set goes through ``migrate_schema`` as before.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.operations import (
    AddConstraint,
    AddField,
    AddIndex,
    AlterModelOptions,
    CreateModel,
    DeleteModel,
    RemoveConstraint,
    RemoveField,
    RemoveIndex,
    RenameModel,
    RunSQL,
)
from django.db.migrations.operations.base import Operation
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState, ProjectState
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


class _PreMigrationStates:
    """Rendered project states before a plan, one per set of applied migrations, kept for this process.

    Rendering the app state of ~200 models is most of the time ``migrate`` spends on a schema; the
    schemas of one release are nearly all at the same applied set, so a worker renders it once and
    hands each schema a clone (what Django's ``migrate`` command does within one run).
    """

    def __init__(self) -> None:
        self._states: dict[frozenset[tuple[str, str]], ProjectState] = {}

    def for_executor(self, executor: MigrationExecutor) -> ProjectState:
        key = frozenset(executor.loader.applied_migrations)
        state = self._states.get(key)
        if state is None:
            # What Django's migrate command builds as its pre-migration state; rendered once here.
            state = executor._create_project_state(with_applied_migrations=True)  # type: ignore[attr-defined]
            state.apps  # noqa: B018 (renders the models; the expensive part, done once per applied set)
            self._states = {key: state}  # a worker keeps one: a release moves every schema to the same target
        return state.clone()


_pre_migration_states = _PreMigrationStates()


def migrate_schema(schema: str, *, verbosity: int = 0) -> int:
    """Migrate one schema to the target, all or nothing; returns the number of migrations applied.

    Does what ``manage.py migrate`` does in a schema, with the pre-migration state shared by schemas at
    the same applied set, and the pre/post-migrate signals sent when the plan adds, removes, renames or
    re-options a model (their receivers react to nothing else). A plan with a non-atomic migration
    (CREATE INDEX CONCURRENTLY, …) runs without the outer transaction, each migration as Django decides.
    """
    connection.set_schema(schema, include_public=False)  # type: ignore[attr-defined]
    try:
        with _migration_table_by_name(schema):
            # The migration table must be created in the schema itself, not found in public.
            MigrationRecorder(connection).ensure_schema()
            connection.set_schema(schema)  # type: ignore[attr-defined]
            executor = MigrationExecutor(connection, progress_callback=_progress_printer(schema, verbosity))
            targets = executor.loader.graph.leaf_nodes()
            plan = executor.migration_plan(targets)
            if not plan:
                return 0
            atomic = all(migration.atomic for migration, _backwards in plan)
            signals = _changes_models(plan)
            with transaction.atomic() if atomic else nullcontext():
                state = _pre_migration_states.for_executor(executor)
                if signals:
                    emit_pre_migrate_signal(verbosity, False, connection.alias, apps=state.apps, plan=plan)
                post_state = executor.migrate(targets, plan=plan, state=state)
                if signals:
                    _emit_post_migrate(post_state, plan, verbosity)
            return len(plan)
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]


@contextmanager
def _migration_table_by_name(schema: str) -> Iterator[None]:
    """While migrating ``schema``, Django asks for its migration table by name, not by listing its tables.

    ``MigrationRecorder.has_table`` lists every table of the schema, which PostgreSQL answers by
    scanning the whole catalogue (pg_class has no index by schema): about 0.4 s per call with 1,000
    municipalities, and Django calls it several times per schema. ``to_regclass`` on the qualified
    name is an index look-up. Only this function's callers see the replacement.
    """
    qualified = f"{connection.ops.quote_name(schema)}.{MigrationRecorder.Migration._meta.db_table}"

    def has_table(recorder: MigrationRecorder) -> bool:
        with recorder.connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [qualified])
            return bool(cursor.fetchone()[0])

    listing = MigrationRecorder.has_table
    setattr(MigrationRecorder, "has_table", has_table)  # noqa: B010 (a method replaced for this block only)
    try:
        yield
    finally:
        setattr(MigrationRecorder, "has_table", listing)  # noqa: B010


# The operations the pre/post-migrate receivers of the installed apps react to: content types and
# their renames, permissions (Django's and Wagtail's snippet permissions) follow the set of models and
# their options. A plan without them (an added column, an index, data) leaves those receivers nothing to do.
_MODEL_LEVEL_OPERATIONS = (CreateModel, DeleteModel, RenameModel, AlterModelOptions)


def _changes_models(plan: list[tuple[Migration, bool]]) -> bool:
    return any(
        isinstance(operation, _MODEL_LEVEL_OPERATIONS)
        for migration, _backwards in plan
        for operation in migration.operations
    )


def _emit_post_migrate(post_state: ProjectState, plan: list[Any], verbosity: int) -> None:
    """As ``migrate`` does: real apps' models re-rendered with their relations, then ``post_migrate``."""
    post_state.clear_delayed_apps_cache()
    post_apps = post_state.apps
    with post_apps.bulk_update():
        model_keys = []
        for model_state in post_apps.real_models:
            model_key = model_state.app_label, model_state.name_lower
            model_keys.append(model_key)
            post_apps.unregister_model(*model_key)
    post_apps.render_multiple([ModelState.from_model(global_apps.get_model(*key)) for key in model_keys])
    emit_post_migrate_signal(verbosity, False, connection.alias, apps=post_apps, plan=plan)


def _progress_printer(schema: str, verbosity: int) -> Callable[..., None] | None:
    if verbosity < 1:
        return None

    def progress(action: str, migration: Any = None, fake: bool = False) -> None:
        if action == "apply_success":
            print(f"    {schema}: applied {migration.app_label}.{migration.name}", flush=True)

    return progress


# --- Replaying collected SQL ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqlReplay:
    """A release's plan as SQL, collected once in one schema, for every schema at the same applied set.

    The statements name tables unqualified: the schema's ``search_path`` (itself, then public) decides
    where they act, as it does when Django migrates the schema.
    """

    applied_before: frozenset[tuple[str, str]]
    migrations: tuple[tuple[str, str], ...]
    sql: str


def _replayable(operation: Operation) -> bool:
    """DDL that is the same SQL in every schema: generated from the migration state alone.

    Excluded: model-level operations (their signals add content types and permissions), operations that
    read the schema's catalogue to find what to change (``AlterField``, renames, removing a relation's
    key), Python code, and added fields whose default is computed (each schema would get the same value).
    """
    if isinstance(operation, AddField):
        field = operation.field
        computed = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        return not (computed or (field.has_default() and callable(field.default)))
    if isinstance(operation, RemoveField):
        return True  # the column's own constraints go with DROP COLUMN … CASCADE; see sql_replay for relations
    if isinstance(operation, RunSQL):
        return operation.reduces_to_sql
    return isinstance(operation, AddIndex | RemoveIndex | AddConstraint | RemoveConstraint)


def sql_replay(schema: str) -> SqlReplay | None:
    """The plan of ``schema`` as one SQL script, when every migration in it can be replayed; else None."""
    connection.set_schema(schema)  # type: ignore[attr-defined]
    try:
        with _migration_table_by_name(schema):
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if not plan or not all(
                not backwards and migration.atomic and not migration.replaces for migration, backwards in plan
            ):
                return None
            state = _pre_migration_states.for_executor(executor)
            statements: list[str] = []
            for migration, _backwards in plan:
                for operation in migration.operations:
                    if not _replayable(operation):
                        return None
                    if isinstance(operation, RemoveField):
                        field = state.models[migration.app_label, operation.model_name_lower].fields[
                            operation.name_lower
                        ]
                        if field.is_relation:  # its key is found by reading the catalogue
                            return None
                with connection.schema_editor(collect_sql=True, atomic=True) as editor:
                    state = migration.apply(state, editor, collect_sql=True)
                statements += editor.collected_sql
            return SqlReplay(
                applied_before=frozenset(executor.loader.applied_migrations),
                migrations=tuple((migration.app_label, migration.name) for migration, _backwards in plan),
                sql="\n".join(statements),
            )
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]


def replay_schema(schema: str, replay: SqlReplay, *, verbosity: int = 0) -> int:
    """Apply ``replay`` to ``schema`` in one transaction with its migration rows; migrate it the usual way
    when its applied migrations differ from those the SQL was collected at. Returns the migrations applied.
    """
    table = f"{connection.ops.quote_name(schema)}.{MigrationRecorder.Migration._meta.db_table}"
    connection.set_schema(schema)  # type: ignore[attr-defined]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # A concurrent migration of this schema waits here, then finds its migrations recorded.
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT app, name FROM {table}")
            replayable = frozenset(cursor.fetchall()) == replay.applied_before
            if replayable:
                cursor.execute(replay.sql)
                cursor.execute(
                    f"INSERT INTO {table} (app, name, applied) "
                    "SELECT app, name, now() FROM unnest(%s::text[], %s::text[]) AS m(app, name)",
                    [[app for app, _name in replay.migrations], [name for _app, name in replay.migrations]],
                )
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    if not replayable:
        return migrate_schema(schema, verbosity=verbosity)
    if verbosity >= 1:
        for app, name in replay.migrations:
            print(f"    {schema}: applied {app}.{name}", flush=True)
    return len(replay.migrations)


# --- The worker pool --------------------------------------------------------------------------------------

_stop: Any = None  # a multiprocessing.Event shared with the workers
_verbosity = 0
_replay: SqlReplay | None = None


def _worker_init(stop: Any, verbosity: int, replay: SqlReplay | None = None) -> None:
    global _stop, _verbosity, _replay
    _stop, _verbosity, _replay = stop, verbosity, replay


def _worker_run(schema: str) -> SchemaResult:
    if _stop is not None and _stop.is_set():
        return SchemaResult(schema=schema, ok=False, applied=0, seconds=0.0, skipped=True)
    started = time.perf_counter()
    try:
        if _replay is None:
            applied = migrate_schema(schema, verbosity=_verbosity)
        else:
            applied = replay_schema(schema, _replay, verbosity=_verbosity)
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
    replay: SqlReplay | None = None,
) -> list[SchemaResult]:
    """Migrate ``schemas`` with a pool of ``processes`` forked workers; stop starting new ones after a failure.

    With ``replay``, each schema at its applied set gets the collected SQL (:func:`replay_schema`).
    ``on_result`` is called in this process with (number finished, result) as each schema finishes.
    """
    results: list[SchemaResult] = []
    if not schemas:
        return results
    if processes <= 1:
        _worker_init(None, verbosity, replay)
        for schema in schemas:
            result = _worker_run(schema)
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
        initargs=(stop, verbosity, replay),
        maxtasksperchild=schemas_per_worker,
    ) as pool:
        for result in pool.imap_unordered(_worker_run, schemas, chunksize=1):
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
