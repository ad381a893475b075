"""python manage.py migrate_all — public schema, template schema, then every municipality.

Skips schemas that are at the target with one query, migrates the rest in parallel (each schema
all or nothing), shows progress, and stops at the first failing schema. ``--check`` only reports
(exit status 1 when a schema is behind); with ``--wait`` it waits for another run to finish, which
is what the Kubernetes pods do before they start. See docs/decisions/0010-migrations-at-scale.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.schema_migrations import (
    DEFAULT_SCHEMAS_PER_WORKER,
    SchemaResult,
    all_schema_names,
    migrate_in_parallel,
    migrate_schema,
    public_schema_name,
    schema_states,
    sql_replay,
)
from tenants.template_schema import template_schema_ensure, template_schema_name

# Any constant shared by all runs against one database: two releases never migrate at once.
ADVISORY_LOCK_KEY = 7_316_402_026


def default_processes() -> int:
    configured = os.environ.get("AMTSPLATZ_MIGRATE_PROCESSES", "")
    return int(configured) if configured else max(1, min(4, os.cpu_count() or 1))


@contextmanager
def release_lock(wait_message: str, write: Any) -> Iterator[None]:
    """A PostgreSQL advisory lock on a connection of its own (the workers fork without it)."""
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    ) as lock_connection:
        row = lock_connection.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY]).fetchone()
        if not (row and row[0]):
            write(wait_message)
            lock_connection.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        yield


class Command(BaseCommand):
    help = "Migrate the public schema, keep the template schema current, migrate all municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-tenants", action="store_true", help="Leave municipality schemas.")
        parser.add_argument(
            "--check", action="store_true", help="Only report; exit status 1 when a schema is not at the target."
        )
        parser.add_argument(
            "--wait",
            type=int,
            default=0,
            metavar="SECONDS",
            help="With --check: wait up to SECONDS for all schemas to reach the target.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=default_processes(),
            help="Schemas migrated at once (default: AMTSPLATZ_MIGRATE_PROCESSES or min(4, CPUs)).",
        )
        parser.add_argument(
            "--schemas-per-worker",
            type=int,
            default=DEFAULT_SCHEMAS_PER_WORKER,
            help="A worker process is replaced after this many schemas (bounds memory).",
        )
        parser.add_argument(
            "--no-sql-replay",
            action="store_true",
            help="Migrate every schema through Django's executor, even when the release's SQL could be replayed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            self._check(int(options["wait"]))
            return
        with release_lock("Another migrate_all is running; waiting for it to finish …", self.stdout.write):
            self._migrate(options)

    def _check(self, wait: int) -> None:
        deadline = time.monotonic() + wait
        while True:
            behind = [name for name, state in schema_states(all_schema_names()).items() if not state.current]
            if not behind:
                self.stdout.write("All schemas are at the target.")
                return
            if time.monotonic() >= deadline:
                listed = ", ".join(behind[:10]) + (" …" if len(behind) > 10 else "")
                raise CommandError(f"{len(behind)} schema(s) not at the target: {listed}")
            time.sleep(min(5.0, max(0.5, deadline - time.monotonic())))

    def _migrate(self, options: dict[str, Any]) -> None:
        verbosity = int(options["verbosity"])
        started = time.perf_counter()
        public, template = public_schema_name(), template_schema_name()
        states = schema_states(all_schema_names())
        if not states[public].current:
            self.stdout.write("1/3 public schema: migrating")
            migrate_schema(public, verbosity=max(verbosity - 1, 0))
            states = schema_states(all_schema_names())
        else:
            self.stdout.write("1/3 public schema: at the target")
        tenants = [name for name in states if name not in (public, template)]
        missing = [name for name in tenants if not states[name].exists]
        if missing:
            raise CommandError(
                "Municipalities without a schema (restore them from a backup or delete them): " + ", ".join(missing)
            )
        behind = [name for name in tenants if not states[name].current]
        current = sum(state.current for state in states.values())
        self.stdout.write(f"    {len(states)} schemas checked in one query: {current} at the target")

        if states[template].current:
            self.stdout.write("2/3 template schema: at the target")
        else:
            self.stdout.write("2/3 template schema: migrating")
            template_schema_ensure(verbosity=max(verbosity - 1, 0))
        if options["skip_tenants"]:
            return
        if not behind:
            self.stdout.write("3/3 municipality schemas: all at the target")
            self.stdout.write(self.style.SUCCESS(f"All schemas are migrated ({time.perf_counter() - started:.1f} s)."))
            return

        processes = max(1, min(int(options["processes"]), len(behind)))
        self.stdout.write(f"3/3 municipality schemas: {len(behind)} to migrate, {processes} at a time")
        replay = None if options["no_sql_replay"] else sql_replay(behind[0])
        if replay:
            self.stdout.write(
                f"    the release is plain DDL: its SQL ({len(replay.migrations)} migration(s)) is replayed in each "
                "schema at the same applied migrations"
            )
        results = migrate_in_parallel(
            behind,
            processes=processes,
            schemas_per_worker=int(options["schemas_per_worker"]),
            verbosity=max(verbosity - 1, 0),
            on_result=self._progress(len(behind), time.perf_counter()),
            replay=replay,
        )
        failed = [result for result in results if not result.ok]
        if failed:
            done = sum(result.ok for result in results)
            details = "\n".join(f"  {result.schema}: {result.error}" for result in failed)
            raise CommandError(
                f"Migration failed; stopped after {done} of {len(behind)} schemas were migrated, "
                f"{len(behind) - len(results)} not started. Every schema is either at the target or unchanged.\n"
                f"{details}\nFix the cause and run migrate_all again: it continues with the schemas still behind."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"All schemas are migrated: {len(results)} municipalities in {time.perf_counter() - started:.1f} s."
            )
        )

    def _progress(self, total: int, started: float) -> Any:
        def report(done: int, result: SchemaResult) -> None:
            elapsed = time.perf_counter() - started
            remaining = elapsed / done * (total - done)
            outcome = f"{result.applied} migration(s)" if result.ok else self.style.ERROR("FAILED")
            self.stdout.write(
                f"  [{done:>{len(str(total))}}/{total}] {100 * done // total:3d}%  {result.schema}: {outcome} "
                f"in {result.seconds:.2f} s  (elapsed {elapsed:.0f} s, about {remaining:.0f} s left)"
            )

        return report
