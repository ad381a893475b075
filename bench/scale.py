"""Does a page get slower when the database holds 1,000 municipalities instead of 3?

.venv/bin/python -m bench.scale [--tenants 1000] [--connections 5] [--seconds 5] [--rounds 6]

Two bench databases, each with the same municipality (set up like the demo's Gera) plus bench
municipalities created by the fast onboarding (cloning the template schema): one with 3 in all, one
with ``--tenants`` (the fleet database of bench/fleet.py, shared with bench.adoption and bench.migrate;
created once and kept, so only the first run pays for the clones). Two gunicorns (2 sync workers
each, page cache off) serve the same home page from each database, loaded at the same moment
(``--connections`` clients each) for ``--rounds`` rounds of ``--seconds``, so whatever else the
machine does falls on both. Reported: requests/s, p50/p99 latency and the ratio many/few (goal >= 0.95).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from subprocess import Popen
from urllib.parse import urlsplit, urlunsplit

from bench.fleet import FLEET_DATABASE, FLEET_SETTINGS, PORTAL_SLUG, fleet_database_ready
from bench.harness import PROJECT_ROOT, Load, django_ready, gunicorn_start, gunicorn_stop, load_side_by_side, machine
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


def _serve(port: int, database_url: str, namespace: str) -> Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        **FLEET_SETTINGS,
        "AMTSPLATZ_REDIS_NAMESPACE": namespace,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "AMTSPLATZ_PAGE_CACHE_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return gunicorn_start(port, HOST, env)


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=5, help="clients per server")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--port", type=int, default=8769, help="few municipalities; many get port + 1")
    parser.add_argument("--prepare", nargs=2, metavar=("DATABASE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        total = fleet_database_ready(args.prepare[0], int(args.prepare[1]))
        print(f"municipalities: {total}", flush=True)
        return {}

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
