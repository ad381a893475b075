"""The fleet: one bench database with many municipalities, shared by bench.scale, bench.adoption, bench.migrate
and bench.tenant_cost; built once by cloning the template schema and kept between runs.

.venv/bin/python -m bench.fleet build --count 1000 [--processes 2]     # resumable, with a progress bar
.venv/bin/python -m bench.fleet status                                  # what the fleet holds now

The builder is meant to run in the background (``nohup … > fleet.log 2>&1 &``): an interrupted build
continues where it stopped (each municipality is created in one transaction, so a killed clone leaves
nothing behind and is simply made again), clones run in ``--processes`` forked workers, and before
the first clone the free disk of the PostgreSQL data directory is compared with what the missing
municipalities need. The fleet database is always set up with the settings of bench.migrate
(Amtsplatz plus the bench-only tenant app ``bench.probe``), so every benchmark finds the same schemas
in it whichever of them created it. ``AMTSPLATZ_BENCH_FLEET_DATABASE`` names another fleet database
(several fleets on one server, e.g. one per developer).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.models import Municipality

PREFIX = "bench-"
PORTAL_SLUG = "benchscale"  # the one municipality set up like the demo's Gera, whose pages are measured
FLEET_DATABASE = os.environ.get("AMTSPLATZ_BENCH_FLEET_DATABASE", "amtsplatz_bench_fleet")
FLEET_SETTINGS = {"DJANGO_SETTINGS_MODULE": "bench.migrate_settings", "AMTSPLATZ_BENCH_MIGRATIONS": "v1"}
DISK_RESERVE_BYTES = 2 * 1024**3  # left free for WAL, checkpoints and everyone else on the server


class NotEnoughDiskError(RuntimeError):
    """The missing municipalities would not fit on the database server's disk."""


def bench_slug(index: int) -> str:
    return f"{PREFIX}{index:04d}"


def _create(index: int) -> None:
    """Clone bench municipality ``index`` (a removal at the same time waits for it: tenants.db.schema_ddl_lock)."""
    from tenants.services import municipality_create

    slug = bench_slug(index)
    municipality_create(
        name=f"Benchgemeinde {index:04d}", slug=slug, domain=f"{slug}.bench.localhost",
        ags=f"14{index:06d}", state="14", admin_email=f"it@{slug}.example",
    )  # fmt: skip


def bytes_per_municipality() -> int:
    """Disk one more municipality takes: its relations plus its share of the catalogue and WAL.

    Measured on the fleet itself once it has a few municipalities (database size / schemas, which
    counts public and the catalogue too, so it errs on the safe side); before that, twice the
    template schema's relations.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, 'bench_')")
        (clones,) = cursor.fetchone()
        if clones >= 10:
            cursor.execute(
                "SELECT pg_database_size(current_database()) / "
                "(SELECT count(*) FROM pg_namespace WHERE NOT starts_with(nspname, 'pg_') "
                "AND nspname <> 'information_schema')"
            )
        else:
            cursor.execute(
                "SELECT 2 * coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
                [_template()],
            )
        (size,) = cursor.fetchone()
    return int(size)


def _template() -> str:
    from tenants.template_schema import template_schema_name

    return template_schema_name()


def data_directory() -> Path | None:
    """The server's data directory when this machine can see it (a local server, readable setting)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            (directory,) = cursor.fetchone()
    except Exception:  # not allowed to read it (no superuser, no pg_read_all_settings)
        return None
    path = Path(directory)
    return path if path.exists() else None


def check_disk(missing: int) -> str:
    """Raise :class:`NotEnoughDiskError` when ``missing`` municipalities do not fit; else say what was checked."""
    if not missing:
        return "nothing to create"
    each = bytes_per_municipality()
    needed = each * missing + DISK_RESERVE_BYTES
    directory = data_directory()
    if directory is None:
        return (
            f"disk not checked (the server's data directory is not visible from here); "
            f"{missing} municipalities need about {needed / 1024**3:.1f} GB there"
        )
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise NotEnoughDiskError(
            f"Not enough free disk for {missing} more municipalities: about {each / 1024**2:.1f} MB each, "
            f"{needed / 1024**3:.1f} GB with a reserve of {DISK_RESERVE_BYTES / 1024**3:.0f} GB, but only "
            f"{free / 1024**3:.1f} GB are free under {directory}. Free disk there, build fewer (--count), "
            f"or point DATABASE_URL at a server with more room; what is built so far is kept."
        )
    return (
        f"disk: {free / 1024**3:.1f} GB free under {directory}, {missing} municipalities need about "
        f"{needed / 1024**3:.1f} GB ({each / 1024**2:.2f} MB each plus a reserve)"
    )


def ensure_fleet(count: int, *, processes: int = 2) -> list[Municipality]:
    """At least ``count`` bench municipalities (bench-0001 …), created by cloning when missing.

    The clones are made by ``processes`` forked workers (PostgreSQL does most of the work, so two
    workers on two cores nearly halve the time), after a check that they fit on the disk; a progress
    bar shows the count, rate and time left (a line every 30 s when the output is a file).
    """
    from django.db import connections
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from tenants.models import Municipality

    existing = set(Municipality.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    missing = [index for index in range(1, count + 1) if bench_slug(index) not in existing]
    if missing:
        print(f"  {check_disk(len(missing))}", flush=True)
        print(f"  creating {len(missing)} bench municipalities by cloning ({len(existing)} exist) …", flush=True)
        started = time.perf_counter()
        connections.close_all()  # forked workers must not share this process's database socket
        interactive = sys.stdout.isatty()
        columns = [
            TextColumn("  clones"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f}/s"), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
        ]  # fmt: skip
        with (
            Progress(*columns, disable=not interactive) as progress,
            multiprocessing.get_context("fork").Pool(processes=processes) as pool,
        ):
            task = progress.add_task("clones", total=len(missing), rate=0.0)
            last_line = started
            for done, _ in enumerate(pool.imap_unordered(_create, missing), start=1):
                elapsed = time.perf_counter() - started
                rate = done / elapsed
                progress.update(task, completed=done, rate=rate)
                if not interactive and (time.perf_counter() - last_line >= 30 or done == len(missing)):
                    last_line = time.perf_counter()
                    left = (len(missing) - done) / rate
                    print(
                        f"  created {done}/{len(missing)} municipalities, {rate:.1f}/s, "
                        f"{elapsed:.0f} s elapsed, about {left:.0f} s left",
                        flush=True,
                    )
        print(f"  created {len(missing)} municipalities in {time.perf_counter() - started:.0f} s", flush=True)
    return list(Municipality.objects.filter(slug__startswith=PREFIX).order_by("slug")[:count])


def fleet_database_ready(database: str, count: int, *, processes: int = 2) -> int:
    """In this process: ``database`` with the measured portal and bench municipalities, ``count`` in all.

    Call it with ``FLEET_SETTINGS`` in the environment, before Django is set up; returns the count.
    """
    from bench.harness import django_ready

    django_ready(database)
    from tenants.models import Municipality

    ensure_portal(PORTAL_SLUG, "Benchstadt Skala", "14050004")
    others = Municipality.objects.exclude(schema_name="public").exclude(slug=PORTAL_SLUG)
    missing = count - 1 - others.exclude(slug__startswith=PREFIX).count()
    ensure_fleet(max(missing, 0), processes=processes)
    return Municipality.objects.exclude(schema_name="public").count()


def ensure_portal(slug: str, name: str, ags: str) -> str:
    """A municipality set up like the demo's Gera (default pages, Gera's services adopted); returns its host."""
    from django_tenants.utils import schema_context

    from cms.page_cache import page_cache_purge
    from cms.services import portal_skeleton_ensure
    from demo.seed import DEMO_MUNICIPALITIES, seed_catalogue
    from services_catalog.local.models import LocalService
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
    from tenants.models import Municipality
    from tenants.services import municipality_create

    host = f"{slug}.bench.localhost"
    seed_catalogue()
    if not Municipality.objects.filter(slug=slug).exists():
        municipality_create(name=name, slug=slug, domain=host, ags=ags, state="14", admin_email=f"it@{slug}.example")
    services = DEMO_MUNICIPALITIES[0].services
    with schema_context(slug):
        portal_skeleton_ensure()
        adopted = set(LocalService.objects.values_list("definition__key", flat=True))
        for definition in ServiceDefinition.objects.filter(key__in=services).exclude(key__in=adopted):
            service_adopt(definition=definition, **services[definition.key])
    page_cache_purge(slug)  # autocommit: at once
    return host


def status() -> list[str]:
    """What the fleet database holds (call with Django set up on it)."""
    from django.db import connection

    from tenants.models import Municipality

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (size,) = cursor.fetchone()
    count = Municipality.objects.exclude(schema_name="public").count()
    return [
        f"fleet database {connection.settings_dict['NAME']}: {count} municipalities, {size / 1024**3:.2f} GB",
        f"next municipality: about {bytes_per_municipality() / 1024**2:.2f} MB",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="create the missing municipalities (resumable)")
    build.add_argument("--count", type=int, required=True, help="municipalities in all, the measured portal included")
    build.add_argument("--processes", type=int, default=2, help="parallel clones")
    commands.add_parser("status", help="what the fleet holds")
    args = parser.parse_args()
    os.environ.update(FLEET_SETTINGS)
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    if args.command == "build":
        try:
            total = fleet_database_ready(FLEET_DATABASE, args.count, processes=args.processes)
        except NotEnoughDiskError as error:
            sys.exit(str(error))
        print(f"municipalities: {total}", flush=True)
    else:
        from bench.harness import django_ready

        django_ready(FLEET_DATABASE)
        print("\n".join(status()))


if __name__ == "__main__":
    main()
