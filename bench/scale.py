"""Does a page get slower when the database holds 1,000 municipalities instead of 3?

.venv/bin/python -m bench.scale [--tenants 1000] [--connections 5] [--seconds 5] [--rounds 6]

Two bench databases, each with the same municipality (set up like the demo's Gera) plus bench
municipalities created by the fast onboarding (cloning the template schema): one with 3 in all, one
with ``--tenants`` (the fleet database of bench/fleet.py, shared with bench.adoption and bench.migrate;
created once and kept, so only the first run pays for the clones). Two gunicorns (2 sync workers
each, page cache off) serve the same home page from each database, loaded at the same moment
(``--connections`` clients each) for ``--rounds`` rounds of ``--seconds``, so whatever else the
machine does falls on both. Reported: requests/s, p50/p99 latency and the ratio many/few (goal >= 0.95).

.venv/bin/python -m bench.scale --spread [--tenants 1000] [--recycle-after 0,100] [--page-cache 0] [--conn-max-age 60]

Spread traffic (issue 26): one gunicorn (2 sync workers) on the fleet database; rounds alternate
between the hot municipality alone (every request to one host) and all ``--tenants`` municipalities
(each request to the next host of a shuffled list of every municipality, so one pass touches each
once). Reported per kind: requests/s, p50/p95, the page-cache hit rate, the spread/single ratio
(first round = first touch, and the rest = warm), and at the end the memory (RSS and PSS from /proc)
of the PostgreSQL backends serving the server and of the gunicorn workers. One server per value of
``--recycle-after`` (``AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS``; 0 = never), so the price of recycling
connections and the memory it bounds stand side by side.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from http.client import HTTPConnection
from subprocess import Popen
from urllib.parse import urlsplit, urlunsplit

from bench.fleet import FLEET_DATABASE, FLEET_SETTINGS, PORTAL_SLUG, fleet_database_ready
from bench.harness import (
    PROJECT_ROOT,
    Load,
    django_ready,
    gunicorn_start,
    gunicorn_stop,
    gunicorn_workers,
    load,
    load_side_by_side,
    machine,
    memory_kib,
)
from bench.report import record

HOST = f"{PORTAL_SLUG}.bench.localhost"
FEW_DATABASE = "amtsplatz_bench_scale"


def prepared(database: str, count: int) -> int:
    """Prepare ``database`` in a child process (Django connects to one database per process); returns its count."""
    command = [sys.executable, "-m", "bench.scale", "--prepare", database, str(count)]
    env = {key: value for key, value in os.environ.items() if key != "AMTSPLATZ_REDIS_NAMESPACE"}
    env.update(FLEET_SETTINGS)
    last = ""
    with subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        for line in child.stdout:  # the fleet's progress, as it happens
            print(line, end="", flush=True)
            last = line
    if child.returncode != 0:
        raise RuntimeError(f"Preparing {database} failed (exit status {child.returncode}).")
    return int(last.split(": ")[1])


def _serve(port: int, database_url: str, namespace: str, **settings: str) -> Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        **FLEET_SETTINGS,
        "AMTSPLATZ_REDIS_NAMESPACE": namespace,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "AMTSPLATZ_PAGE_CACHE_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **settings,
    }
    return gunicorn_start(port, HOST, env)


def fleet_hosts(database_url: str) -> dict[str, str]:
    """Primary host → name of every municipality in the database at ``database_url``."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT d.domain, m.name FROM public.tenants_domain d "
            "JOIN public.tenants_municipality m ON m.id = d.tenant_id WHERE d.is_primary AND m.schema_name <> 'public'"
        ).fetchall()
    return dict(rows)


def check_pages_differ(port: int, hosts: dict[str, str], sample: int = 5) -> None:
    """Each sampled municipality answers its home page with its own name (spread pages really differ)."""
    for host, name in random.sample(sorted(hosts.items()), min(sample, len(hosts))):
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", "/", headers={"Host": host})
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        if response.status != 200 or name not in body:
            raise RuntimeError(f"{host} answered {response.status} without its name {name!r}")
        print(f"  {host}: 200, {len(body)} bytes, title {title.group(1).strip() if title else '?'!r}", flush=True)


def spread_order(hosts: list[str]) -> Callable[[], str]:
    """The next host of a shuffled cycle through ``hosts`` (thread-safe): one pass touches each once."""
    shuffled = random.sample(hosts, len(hosts))
    cycle = itertools.cycle(shuffled)
    lock = threading.Lock()

    def next_host() -> str:
        with lock:
            return next(cycle)

    return next_host


SPREAD_APPLICATION = "amtsplatz-bench-spread"  # application_name of the measured server's sessions


def backend_pids(database_url: str) -> list[int]:
    """Process ids of the PostgreSQL backends serving the measured gunicorn (by its ``application_name``)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [SPREAD_APPLICATION],
        ).fetchall()
    return [pid for (pid,) in rows]


def _memory_line(label: str, pids: list[int]) -> str:
    sizes = [size for size in (memory_kib(pid) for pid in pids) if any(size)]
    if not sizes:
        return f"{label}: not readable from here (another machine or user)"
    rss, pss, uss = ([kib / 1024 for kib in column] for column in zip(*sizes, strict=True))
    return (
        f"{label}: {len(sizes)} processes, RSS max {max(rss):.0f} MB (sum {sum(rss):.0f}), "
        f"PSS max {max(pss):.0f} MB (sum {sum(pss):.0f}), private max {max(uss):.0f} MB (sum {sum(uss):.0f})"
    )


def spread(args: argparse.Namespace) -> dict[str, float]:
    """Spread traffic over every municipality vs. the hot one alone, in interleaved rounds (see the docstring)."""
    count = prepared(FLEET_DATABASE, args.tenants)
    os.environ.update(FLEET_SETTINGS)
    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{FLEET_DATABASE}"))
    os.environ["DATABASE_URL"] = url  # for the machine line
    served_url = f"{url}?application_name={SPREAD_APPLICATION}"
    hosts = fleet_hosts(url)
    next_spread = spread_order(sorted(hosts))
    figures: dict[str, float] = {}
    lines = [
        f"GET / of {count} municipalities in random order (each request the next host of a shuffled pass over "
        f"all) vs. one hot municipality, interleaved rounds of {args.seconds:g} s x {args.rounds} each, "
        f"one gunicorn with 2 sync workers, {args.connections} connections, connections kept "
        f"{args.conn_max_age} s (DATABASE_CONN_MAX_AGE), page cache "
        + (f"{args.page_cache} s" if args.page_cache else "off"),
    ]
    for recycle in [int(value) for value in args.recycle_after.split(",")]:
        server = _serve(
            args.port, served_url, f"bench-{FLEET_DATABASE}-spread",
            AMTSPLATZ_PAGE_CACHE_SECONDS=str(args.page_cache), AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS=str(recycle),
            DATABASE_CONN_MAX_AGE=str(args.conn_max_age),
        )  # fmt: skip
        seen = {"single": Load(), "spread": Load()}
        first: dict[str, Load] = {}
        try:
            check_pages_differ(args.port, hosts)
            load(args.port, HOST, "/", seconds=1.5, connections=args.connections)  # workers warm
            for round_number in range(args.rounds):
                for kind, host in (("single", HOST), ("spread", next_spread)):
                    seen_now = load(args.port, host, "/", seconds=args.seconds, connections=args.connections)
                    first.setdefault(kind, seen_now)
                    seen[kind].add(seen_now)
                    rate = seen_now.per_second
                    print(f"  recycle {recycle}, round {round_number + 1} {kind}: {rate:.1f}/s", flush=True)
            workers = _memory_line("gunicorn workers", gunicorn_workers(server))
            backends = _memory_line("PostgreSQL backends", backend_pids(url))
        finally:
            gunicorn_stop(server)
        ratio = seen["spread"].per_second / seen["single"].per_second
        first_ratio = first["spread"].per_second / first["single"].per_second
        label = f"recycle after {recycle} schemas" if recycle else "no recycling"
        lines.append(f"{label}:")
        for kind, result in seen.items():
            lines.append(
                f"  {kind:<6} {result.per_second:6.1f} requests/s   p50 {result.p50_ms:6.1f} ms   "
                f"p95 {result.p95_ms:6.1f} ms   page-cache hits {result.page_cache_hit_rate:.0%}   "
                f"({result.answers_text()})"
            )
        lines.append(f"  spread/single: {ratio:.3f} (first round {first_ratio:.3f})   (goal >= 0.9 at 1,000)")
        lines += [f"  {backends}", f"  {workers}"]
        figures[f"ratio_recycle_{recycle}"] = ratio
    print("\n".join([*lines, f"machine: {machine()}"]))
    command = (
        f"python -m bench.scale --spread --tenants {args.tenants} --connections {args.connections} "
        f"--seconds {args.seconds:g} --rounds {args.rounds} --recycle-after {args.recycle_after} "
        f"--page-cache {args.page_cache} --conn-max-age {args.conn_max_age}"
    )
    record(f"scale-spread-{count}", command, lines)
    return figures


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=5, help="clients per server")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--port", type=int, default=8769, help="few municipalities; many get port + 1")
    parser.add_argument("--spread", action="store_true", help="traffic spread over every municipality")
    parser.add_argument("--recycle-after", default="0", help="--spread: AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS values")
    parser.add_argument("--page-cache", type=int, default=0, help="--spread: page cache seconds (0 = off)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="--spread: DATABASE_CONN_MAX_AGE of the server")
    parser.add_argument("--prepare", nargs=2, metavar=("DATABASE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        total = fleet_database_ready(args.prepare[0], int(args.prepare[1]))
        print(f"municipalities: {total}", flush=True)
        return {}
    if args.spread:
        return spread(args)

    counts = {"few": prepared(FEW_DATABASE, 3), "many": prepared(FLEET_DATABASE, args.tenants)}
    os.environ.update(FLEET_SETTINGS)
    django_ready(FEW_DATABASE)  # for the machine line
    server_url = urlsplit(os.environ["DATABASE_URL"])
    databases = {"few": FEW_DATABASE, "many": FLEET_DATABASE}
    ports = {"few": args.port, "many": args.port + 1}
    servers: list[Popen[bytes]] = []
    seen = {mode: Load() for mode in databases}
    try:
        for mode, database in databases.items():
            url = urlunsplit(server_url._replace(path=f"/{database}"))
            servers.append(_serve(ports[mode], url, f"bench-{database}"))
        load_side_by_side(ports, HOST, "/", seconds=1.5, connections=args.connections)  # workers warm
        for _round in range(args.rounds):
            for mode, seen_now in load_side_by_side(
                ports, HOST, "/", seconds=args.seconds, connections=args.connections
            ).items():
                seen[mode].add(seen_now)
    finally:
        for server in servers:
            gunicorn_stop(server)

    ratio = seen["many"].per_second / seen["few"].per_second
    lines = [
        f"GET / of one municipality, gunicorn 2 sync workers per database, both loaded at the same time "
        f"({args.connections} connections each), page cache off, {args.rounds} rounds x {args.seconds:g} s",
    ]
    for mode in databases:
        result = seen[mode]
        lines.append(
            f"{counts[mode]:>5} municipalities in the database: {result.per_second:6.1f} requests/s   "
            f"p50 {result.p50_ms:6.1f} ms   p99 {result.p99_ms:6.1f} ms   ({result.answers_text()})"
        )
    lines.append(f"ratio {counts['many']} vs {counts['few']} municipalities: {ratio:.3f}   (goal >= 0.95)")
    print("\n".join([*lines, f"machine: {machine()}"]))
    command = (
        f"python -m bench.scale --tenants {args.tenants} --connections {args.connections} "
        f"--seconds {args.seconds:g} --rounds {args.rounds}"
    )
    record("scale", command, lines)
    return {"ratio": ratio}


if __name__ == "__main__":
    main()
