"""Migrations at scale: no-op release, one added column across all schemas, and request latency vs. tenant count.

.venv/bin/python -m bench.migrate [--tenants 1000] [--requests 300] [--processes 2]

Uses the fleet database of bench/fleet.py (``--tenants`` municipalities created once by the fast
clone and kept between runs, the bench-only tenant app ``bench.probe`` installed by
bench/migrate_settings.py), first brought to the release before (``bench.probe`` 0001). Then:

1. no-op release: ``manage.py migrate_all`` with every schema at the target (wall time of the whole
   command, Django start included). Goal < 10 s.
2. one added-column migration (``bench.probe`` 0002) across all schemas with ``migrate_all``
   (reported; undone afterwards so the next run measures the same).
3. tenant-count effect: the same page (the measured portal's home page, page cache off) from bench.scale's
   database with 3 municipalities and from the fleet, both served by gunicorn at the same time, requests
   alternating one by one; ratio = median latency at 3 / median latency at ``--tenants``. Goal >= 0.95.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection

from bench.fleet import FLEET_DATABASE, PORTAL_SLUG
from bench.harness import PROJECT_ROOT, gunicorn_start, gunicorn_stop, use_bench_database
from bench.report import record
from bench.scale import FEW_DATABASE, prepared

HOST = f"{PORTAL_SLUG}.bench.localhost"


def _env(phase: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.migrate_settings",
        "AMTSPLATZ_BENCH_MIGRATIONS": phase,
        "AMTSPLATZ_PAGE_CACHE_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def _run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return wall, result.stdout


def _prepare(database: str, tenants: int) -> str:
    """``database`` with ``tenants`` municipalities, every schema at the release before; returns its URL."""
    prepared(database, tenants)
    url = use_bench_database(database)
    env = {**_env("v1"), "DATABASE_URL": url}
    script = "import django; django.setup()\nfrom bench.migrate import undo_added_column\nundo_added_column()\n"
    _run([sys.executable, "-c", script], env)  # left over by an interrupted run
    _run([sys.executable, "manage.py", "migrate_all"], env)
    return url


def undo_added_column() -> None:
    """Put every schema back to bench.probe 0001 (after a previous run's v2 release), in one batch."""
    from django.db import connection

    from tenants.schema_migrations import all_schema_names

    statements = []
    for schema in all_schema_names():
        quoted = connection.ops.quote_name(schema)
        statements.append(f"ALTER TABLE IF EXISTS {quoted}.probe_benchprobe DROP COLUMN IF EXISTS note")
        statements.append(f"DELETE FROM {quoted}.django_migrations WHERE app = 'probe' AND name = '0002_added_column'")
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statements))


def _get(port: int) -> float:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", "/", headers={"Host": HOST})
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET / on port {port} answered {response.status}")
    return elapsed


def _latency(small_url: str, big_url: str, requests: int) -> tuple[float, float]:
    """Median latency of the same page with 3 and with many municipalities, requests alternating."""
    servers = []
    try:
        for port, url in ((8791, small_url), (8792, big_url)):
            env = {**_env("v1"), "DATABASE_URL": url, "AMTSPLATZ_PORTAL_PORT": str(port)}
            servers.append(gunicorn_start(port, HOST, env, workers=1))
        for _ in range(20):  # warm up
            _get(8791), _get(8792)
        small, big = [], []
        for _ in range(requests):
            small.append(_get(8791))
            big.append(_get(8792))
    finally:
        for server in servers:
            gunicorn_stop(server)
    return statistics.median(small), statistics.median(big)


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    print(f"preparing {FEW_DATABASE} (3 municipalities) and {FLEET_DATABASE} ({args.tenants}) …", flush=True)
    small_url = _prepare(FEW_DATABASE, 3)
    big_url = _prepare(FLEET_DATABASE, args.tenants)
    os.environ["DATABASE_URL"] = big_url
    migrate = [sys.executable, "manage.py", "migrate_all", "--processes", str(args.processes)]

    print("no-op release …", flush=True)
    noop_wall, noop_out = _run(migrate, {**_env("v1"), "DATABASE_URL": big_url})
    noop_inner = float(re.search(r"All schemas are migrated \((\d+\.\d+) s\)", noop_out).group(1))  # type: ignore[union-attr]

    print("one added-column migration across all schemas …", flush=True)
    column_wall, column_out = _run(migrate, {**_env("v2"), "DATABASE_URL": big_url})
    migrated = len(re.findall(r": 1 migration\(s\)", column_out))
    _run(
        [sys.executable, "-c", "import django; django.setup(); from bench.migrate import undo_added_column; "
         "undo_added_column()"],
        {**_env("v2"), "DATABASE_URL": big_url},
    )  # fmt: skip

    print("latency, 3 vs many municipalities …", flush=True)
    small_median, big_median = _latency(small_url, big_url, args.requests)
    ratio = small_median / big_median

    schemas = args.tenants + 2
    lines = [
        f"{args.tenants} municipalities ({schemas} schemas with public and template), migrate_all --processes "
        f"{args.processes}",
        f"no-op release: {noop_wall:.1f} s wall for the whole command, {noop_inner:.1f} s after Django started"
        "   (goal < 10 s)",
        f"one added-column migration: {column_wall:.1f} s for {migrated} municipality schemas "
        f"({column_wall / max(migrated, 1) * 1000:.0f} ms per schema wall)",
        f"same page (GET / of one portal, page cache off, {args.requests} requests each, alternating): "
        f"median {small_median * 1000:.1f} ms at 3 municipalities, {big_median * 1000:.1f} ms at {args.tenants}",
        f"ratio (latency at 3 / latency at {args.tenants}): {ratio:.3f}   (goal >= 0.95)",
    ]
    print("\n".join(lines))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.migrate_settings"
    import django

    django.setup()  # for the machine line of the report (PostgreSQL version)
    record(
        "migrate",
        f"python -m bench.migrate --tenants {args.tenants} --requests {args.requests} --processes {args.processes}",
        lines,
    )
    return {"noop_s": noop_wall, "column_s": column_wall, "ratio": ratio}


if __name__ == "__main__":
    main()
