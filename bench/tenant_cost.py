"""What each municipality costs the database server, and what a fleet of them costs a release and a backup.

.venv/bin/python -m bench.tenant_cost [--tenants 1000] [--label after] [--onboard 3] [--skip-backup-all]

On the fleet database of bench/fleet.py (built to ``--tenants`` municipalities first when smaller;
``python -m bench.fleet build --count N`` builds it in the background beforehand). Measured:

- per municipality (the template and the first bench clone, read from the catalogue, so independent
  of the machine's load): relations by kind (tables, indexes, sequences, TOAST tables and their
  indexes), disk when empty, catalogue rows it adds (pg_class, pg_attribute, pg_index, pg_constraint,
  pg_type), and the indexes that serve no query (tenants.fixed_cost);
- onboarding the next municipality (``--onboard`` clones, median wall and process CPU; removed again);
- for the fleet: ``pg_class``/``pg_attribute`` size, database size, autovacuum activity (runs since
  the statistics were reset, tables it looks after, workers busy now), a no-op release (``migrate_all``),
  a one-column migration across all schemas (bench.probe 0002, undone afterwards), ``pg_dump`` of one
  municipality and a full backup (amtsplatz.infra.backups, every schema).

Each run records its figures in the section ``tenant-cost-<N>`` of docs/benchmarks.md (``--label``
adds e.g. "before" to the name); the section ``tenant-cost-slope`` then fits a line through every
recorded size (the slope per 1,000 municipalities) and projects it to 10,000: a projection, not a
measurement. Wall-clock figures depend on the machine's load; relation counts and sizes do not.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.fleet import FLEET_DATABASE, FLEET_SETTINGS, PREFIX, bench_slug, fleet_database_ready
from bench.harness import PROJECT_ROOT, use_bench_database
from bench.report import BENCHMARKS_MD, record, section_lines

FIGURE = re.compile(r"^figure (?P<key>[a-z_]+) = (?P<value>[0-9.]+)")
PROJECTED = 10_000


def _env(phase: str) -> dict[str, str]:
    return {**os.environ, **FLEET_SETTINGS, "AMTSPLATZ_BENCH_MIGRATIONS": phase}


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started, result.stdout


def _per_municipality(schema: str) -> list[str]:
    from tenants.fixed_cost import redundant_indexes, schema_cost, unused_pattern_indexes

    cost = schema_cost(schema)
    return [
        f"{schema}: {cost.relations} relations ({cost.tables} tables, {cost.indexes} indexes, {cost.sequences} "
        f"sequences, {cost.toast_tables} TOAST tables + {cost.toast_indexes} TOAST indexes), "
        f"{cost.disk_bytes / 1024**2:.2f} MB on disk",
        f"  catalogue rows: {cost.catalogue_rows} (pg_class {cost.pg_class_rows}, pg_attribute "
        f"{cost.pg_attribute_rows}, pg_index {cost.pg_index_rows}, pg_constraint {cost.pg_constraint_rows}, "
        f"pg_type {cost.pg_type_rows})",
        f"  indexes serving no query: {len(unused_pattern_indexes(schema))} pattern (…_like), "
        f"{len(redundant_indexes(schema))} redundant",
    ]


def _onboarding(count: int) -> tuple[float, float]:
    """Median wall and CPU seconds of creating the next municipality (removed again afterwards)."""
    from tenants.models import Municipality
    from tenants.services import municipality_create, municipality_delete

    walls, cpus = [], []
    for index in range(count):
        slug = f"bench-next-{index}"
        leftover = Municipality.objects.filter(slug=slug).first()
        if leftover:
            municipality_delete(leftover)
        started, cpu = time.perf_counter(), time.process_time()
        municipality_create(
            name=f"Nächste Gemeinde {index}", slug=slug, domain=f"{slug}.bench.localhost",
            ags=f"149{index:05d}", state="14", admin_email=f"it@{slug}.example",
        )  # fmt: skip
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        municipality_delete(Municipality.objects.get(slug=slug))
    return statistics.median(walls), statistics.median(cpus)


def _catalogue() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('pg_catalog.pg_class'), pg_total_relation_size('pg_catalog.pg_attribute'),"
            " (SELECT count(*) FROM pg_class), pg_database_size(current_database()),"
            " (SELECT coalesce(sum(autovacuum_count), 0) FROM pg_stat_all_tables),"
            " (SELECT coalesce(sum(autoanalyze_count), 0) FROM pg_stat_all_tables),"
            " (SELECT count(*) FROM pg_stat_all_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            "  AND schemaname NOT LIKE 'pg\\_toast%%'),"
            " (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'),"
            " (SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_all_tables),"
            " (SELECT coalesce(stats_reset, pg_postmaster_start_time()) FROM pg_stat_database"
            "  WHERE datname = current_database()), current_setting('autovacuum')",
            [],
        )
        row = cursor.fetchone()
    keys = ("pg_class_bytes", "pg_attribute_bytes", "pg_class_rows", "database_bytes", "autovacuum_runs",
            "autoanalyze_runs", "tables_watched", "autovacuum_workers", "dead_rows")  # fmt: skip
    figures = {key: float(value) for key, value in zip(keys, row[:-2], strict=True)}
    figures["stats_since"] = row[-2].timestamp()
    figures["autovacuum_on"] = 1.0 if row[-1] == "on" else 0.0
    return figures


def _dump_one(url: str, schema: str) -> tuple[float, int]:
    from amtsplatz.infra.backups import _client, _libpq_env

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "one.dump"
        started = time.perf_counter()
        subprocess.run(
            [_client("pg_dump", url), "--format=custom", "--schema", schema, "--file", str(target)],
            env=_libpq_env(url), check=True, capture_output=True,
        )  # fmt: skip
        return time.perf_counter() - started, target.stat().st_size


def _backup_all(url: str) -> tuple[float, int]:
    from amtsplatz.infra.backups import backup_create

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        dump = backup_create(database_url=url, output=Path(folder))
        return time.perf_counter() - started, dump.stat().st_size


def backend_growth(url: str, schemas: list[str], step: int = 100) -> list[tuple[int, float]]:
    """Private memory (MB) of one PostgreSQL session after it has opened every table of 0, step, 2·step … schemas.

    The session plans ``SELECT * FROM <table> LIMIT 0`` for each table of each schema: PostgreSQL then
    keeps the catalogue entries (relcache, catcache) of the table and its indexes for the session's life,
    as a web worker's connection does for the schemas it serves (a page touches a subset of the tables,
    so this is the upper bound per schema). Read from /proc, so the server must run on this machine.
    """
    import psycopg
    from psycopg import sql

    from bench.harness import memory_kib

    with psycopg.connect(url, autocommit=True) as conn:
        pid = conn.info.backend_pid
        tables = conn.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ANY(%s) AND c.relkind = 'r'",
            [schemas],
        ).fetchall()
        by_schema: dict[str, list[str]] = {}
        for schema, table in tables:
            by_schema.setdefault(schema, []).append(table)
        points = [(0, memory_kib(pid)[2] / 1024)]
        for done, schema in enumerate(schemas, start=1):
            for table in by_schema.get(schema, []):
                conn.execute(sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(schema, table)))
            if done % step == 0 or done == len(schemas):
                points.append((done, memory_kib(pid)[2] / 1024))
    return points


def _releases(url: str) -> tuple[float, float, int]:
    """No-op release and one added column across all schemas (then undone), wall seconds each."""
    migrate = [sys.executable, "manage.py", "migrate_all", "--processes", "2"]
    env = {**_env("v1"), "DATABASE_URL": url}
    undo = "import django; django.setup(); from bench.migrate import undo_added_column; undo_added_column()"
    _timed([sys.executable, "-c", undo], env)  # left over by an interrupted run
    _timed(migrate, env)  # every schema at the release before
    noop, _out = _timed(migrate, env)
    column, out = _timed(migrate, {**_env("v2"), "DATABASE_URL": url})
    migrated = len(re.findall(r": 1 migration\(s\)", out))
    _timed([sys.executable, "-c", undo], {**_env("v2"), "DATABASE_URL": url})
    return noop, column, migrated


def slope_lines() -> list[str]:
    """Least-squares line through the figures of every recorded fleet size, projected to 10,000."""
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else ""
    sizes: dict[int, dict[str, float]] = {}
    for name in sorted(set(re.findall(r"<!-- bench:(tenant-cost-\d+) -->", text))):
        figures = {m["key"]: float(m["value"]) for line in section_lines(name) if (m := FIGURE.match(line))}
        if "municipalities" in figures:
            sizes[int(figures["municipalities"])] = figures
    if len(sizes) < 2:
        return [f"one fleet size recorded so far ({', '.join(map(str, sizes)) or 'none'}): no slope yet"]
    counts = sorted(sizes)
    lines = [
        f"fleet sizes measured: {', '.join(f'{count:,}' for count in counts)}",
        "catalogue and disk figures are exact; times (…_s) are wall clock on a shared, loaded machine, so",
        "their slopes carry that noise (a negative slope means: no growth measurable through the noise)",
    ]
    units = {"_s": "s", "_bytes": "bytes", "_rows": "rows"}
    for key in sorted(set.intersection(*(set(figures) for figures in sizes.values())) - {"municipalities"}):
        xs = [float(count) for count in counts]
        ys = [sizes[count][key] for count in counts]
        slope, intercept = statistics.linear_regression(xs, ys)
        unit = next((unit for suffix, unit in units.items() if key.endswith(suffix)), "")
        lines.append(
            f"{key}: {', '.join(f'{y:,.2f}' for y in ys)} {unit}; slope {slope * 1000:,.3f} {unit} per 1,000 "
            f"municipalities; PROJECTION to {PROJECTED:,}: {intercept + slope * PROJECTED:,.2f} {unit}"
        )
    return lines


def catalogue_only(args: argparse.Namespace) -> dict[str, float]:
    """The per-municipality figures and onboarding of the fleet as it stands, nothing migrated or built."""
    use_bench_database(FLEET_DATABASE)
    import django

    django.setup()
    from tenants.models import Municipality
    from tenants.template_schema import template_schema_name

    count = Municipality.objects.exclude(schema_name="public").count()
    lines = [f"fleet: {count} municipalities (database {FLEET_DATABASE}), as it stood", "per municipality:"]
    lines += [f"  {line}" for line in _per_municipality(template_schema_name())]
    lines += [f"  {line}" for line in _per_municipality(bench_slug(1).replace("-", "_"))]
    figures = {}
    if args.onboard:  # not while a build runs: removing a municipality and cloning one lock the same public tables
        figures["onboarding_s"], onboard_cpu = _onboarding(args.onboard)
        lines.append(
            f"onboarding the next municipality: {figures['onboarding_s']:.3f} s wall, {onboard_cpu:.3f} s CPU of "
            f"this process (median of {args.onboard})"
        )
    print("\n".join(lines))
    label = args.label or "catalogue"
    command = f"python -m bench.tenant_cost --catalogue-only --label {label} --onboard {args.onboard}"
    record(f"tenant-cost-{label}", command, lines)
    return figures


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--label", default="", help="added to the section name, e.g. before")
    parser.add_argument("--onboard", type=int, default=3, help="next municipalities created (and removed)")
    parser.add_argument("--skip-backup-all", action="store_true", help="leave out the full backup")
    parser.add_argument("--growth-schemas", type=int, default=300, help="schemas one session opens (memory probe)")
    parser.add_argument(
        "--catalogue-only", action="store_true",
        help="per municipality and onboarding only, on the fleet as it is (no migration, no build): before a release",
    )  # fmt: skip
    args = parser.parse_args()

    os.environ.update(FLEET_SETTINGS)
    if args.catalogue_only:
        return catalogue_only(args)
    count = fleet_database_ready(FLEET_DATABASE, args.tenants)
    from django.db import connection

    from tenants.template_schema import template_schema_name

    url = os.environ["DATABASE_URL"]
    lines = [f"fleet: {count} municipalities (database {FLEET_DATABASE})", "per municipality:"]
    lines += [f"  {line}" for line in _per_municipality(template_schema_name())]
    lines += [f"  {line}" for line in _per_municipality(bench_slug(1).replace("-", "_"))]
    print("\n".join(lines), flush=True)

    print("onboarding the next municipality …", flush=True)
    onboard_wall, onboard_cpu = _onboarding(args.onboard)
    catalogue = _catalogue()
    print("pg_dump of one municipality …", flush=True)
    dump_one_s, dump_one_bytes = _dump_one(url, f"{PREFIX}0001".replace("-", "_"))
    figures = {"municipalities": float(count), "onboarding_s": onboard_wall, "dump_one_s": dump_one_s, **catalogue}
    refused = ""
    if not args.skip_backup_all:
        from amtsplatz.infra.backups import LockTableTooSmallError

        print("full backup …", flush=True)
        try:
            figures["backup_all_s"], figures["backup_all_bytes"] = _backup_all(url)
        except LockTableTooSmallError as error:  # the server's setting, not a failure of the bench (ADR 0097)
            refused = str(error)
    connection.close()
    print("one session opening every table of many schemas …", flush=True)
    schemas = [bench_slug(index).replace("-", "_") for index in range(1, min(count - 1, args.growth_schemas) + 1)]
    growth = backend_growth(url, schemas)
    per_schema = (growth[-1][1] - growth[0][1]) / max(1, growth[-1][0])
    figures["backend_mb_per_schema"] = per_schema
    print("releases …", flush=True)
    figures["noop_release_s"], figures["column_release_s"], migrated = _releases(url)

    stats_since = time.strftime("%Y-%m-%d %H:%M", time.gmtime(catalogue["stats_since"]))
    lines += [
        f"onboarding the next municipality: {onboard_wall:.3f} s wall, {onboard_cpu:.3f} s CPU of this process "
        f"(median of {args.onboard})   (goal < 1 s at 10,000)",
        f"catalogue: pg_class {catalogue['pg_class_bytes'] / 1024**2:.1f} MB ({catalogue['pg_class_rows']:.0f} rows), "
        f"pg_attribute {catalogue['pg_attribute_bytes'] / 1024**2:.1f} MB; database "
        f"{catalogue['database_bytes'] / 1024**3:.2f} GB",
        f"autovacuum {'on' if catalogue['autovacuum_on'] else 'OFF on this server (nothing to measure)'}: "
        f"{catalogue['autovacuum_runs']:.0f} vacuum and {catalogue['autoanalyze_runs']:.0f} analyze runs "
        f"since {stats_since} UTC over {catalogue['tables_watched']:.0f} tables it watches, "
        f"{catalogue['autovacuum_workers']:.0f} workers busy at the end, {catalogue['dead_rows']:.0f} dead rows",
        f"pg_dump of one municipality: {dump_one_s:.2f} s, {dump_one_bytes / 1024:.0f} KB",
    ]
    if refused:
        lines.append(f"full backup refused before dumping: {refused}")
    if "backup_all_s" in figures:
        lines.append(
            f"full backup (amtsplatz.infra.backups, every schema): {figures['backup_all_s']:.1f} s, "
            f"{figures['backup_all_bytes'] / 1024**2:.0f} MB"
        )
    lines.append(
        "one PostgreSQL session opening every table of N schemas, private memory: "
        + ", ".join(f"{done} schemas {mb:.0f} MB" for done, mb in growth)
        + f"  → {per_schema:.2f} MB per schema (upper bound: a page opens fewer tables)"
    )
    lines += [
        f"no-op release (migrate_all, 2 processes): {figures['noop_release_s']:.1f} s   (goal < 30 s at 10,000)",
        f"one-column migration across {migrated} schemas: {figures['column_release_s']:.1f} s   "
        "(goal < 10 min at 10,000)",
        "machine-readable figures (for the slope):",
        *[
            f"figure {key} = {value:.6f}"
            for key, value in sorted(figures.items())
            if key not in ("stats_since", "autovacuum_on")
        ],
    ]
    print("\n".join(lines))
    suffix = f"-{args.label}" if args.label else ""
    command = f"python -m bench.tenant_cost --tenants {args.tenants} --onboard {args.onboard}" + (
        f" --label {args.label}" if args.label else ""
    )
    if args.label:
        record(f"tenant-cost{suffix}-{count}", command, lines)
    else:
        record(f"tenant-cost-{count}", command, lines)
        slope = slope_lines()
        print("\n".join(slope))
        record("tenant-cost-slope", "python -m bench.tenant_cost (every recorded fleet size)", slope)
    return figures


if __name__ == "__main__":
    main()
