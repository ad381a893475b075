"""What multi-tenant routing costs: the same pages served by tenant routing and by one pinned schema.

.venv/bin/python -m bench.routing [--connections 5] [--seconds 5] [--rounds 6]

One municipality (set up like the demo's Gera) in a dedicated bench database, served by two gunicorns
(2 sync workers each, page cache off so every request renders) that run at the same time:

- "routed": the real set-up: host → municipality lookup, schema selected per request;
- "pinned": the benchmark-only single-tenant baseline (AMTSPLATZ_PIN_SCHEMA, ADR 0022): the schema set
  when the connection opens, the tenant middleware bypassed.

Both servers are loaded at the same moment, ``--connections`` clients each, for ``--rounds`` rounds of
``--seconds`` per page: whatever else the machine does (this is a virtual machine that shares its
host) falls on both modes alike. They share the two cores, so each serves about half of what it
would alone; the ratio is what counts. Reported per page:
requests/s, p50 and p99 latency, and the ratio routed/pinned (goal >= 0.95).
"""

from __future__ import annotations

import argparse
import os
from subprocess import Popen

from bench.fleet import ensure_portal
from bench.harness import Load, django_ready, gunicorn_start, gunicorn_stop, load_side_by_side, machine
from bench.report import record

SLUG = "benchrouting"
PAGES = {"home page": "/", "service page": "/leistungen/bewohnerparkausweis/"}
MODES = ("routed", "pinned")


def _serve(port: int, host: str, *, pinned: bool) -> Popen[bytes]:
    env = {
        **os.environ,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "AMTSPLATZ_PAGE_CACHE_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    if pinned:
        env.update(AMTSPLATZ_PIN_SCHEMA=SLUG, AMTSPLATZ_PIN_SCHEMA_CONFIRM="benchmark-only")
    return gunicorn_start(port, host, env)


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=5, help="clients per server")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--port", type=int, default=8767, help="routed server; the pinned one gets port + 1")
    args = parser.parse_args()

    django_ready("amtsplatz_bench_routing")
    host = ensure_portal(SLUG, "Benchstadt Routing", "14050003")
    ports = {"routed": args.port, "pinned": args.port + 1}
    servers: list[Popen[bytes]] = []
    seen = {(page, mode): Load() for page in PAGES for mode in MODES}
    try:
        for mode in MODES:
            servers.append(_serve(ports[mode], host, pinned=mode == "pinned"))
        for path in PAGES.values():  # workers warm
            load_side_by_side(ports, host, path, seconds=1.5, connections=args.connections)
        for _round in range(args.rounds):
            for page, path in PAGES.items():
                both = load_side_by_side(ports, host, path, seconds=args.seconds, connections=args.connections)
                for mode, seen_now in both.items():
                    seen[page, mode].add(seen_now)
    finally:
        for server in servers:
            gunicorn_stop(server)

    figures: dict[str, float] = {}
    lines = [
        f"gunicorn 2 sync workers per mode, both modes loaded at the same time ({args.connections} connections "
        f"each), page cache off, {args.rounds} rounds x {args.seconds:g} s per page",
    ]
    for page, path in PAGES.items():
        for mode in MODES:
            result = seen[page, mode]
            lines.append(
                f"{page + ' ' + path:<48} {mode:<7} {result.per_second:6.1f} requests/s   "
                f"p50 {result.p50_ms:6.1f} ms   p99 {result.p99_ms:6.1f} ms   ({result.answers_text()})"
            )
        ratio = seen[page, "routed"].per_second / seen[page, "pinned"].per_second
        figures[f"{page} ratio"] = ratio
        lines.append(f"{page}: routed/pinned = {ratio:.3f}   (goal >= 0.95)")
    print("\n".join([*lines, f"machine: {machine()}"]))
    command = (
        f"python -m bench.routing --connections {args.connections} --seconds {args.seconds:g} --rounds {args.rounds}"
    )
    record("routing", command, lines)
    return figures


if __name__ == "__main__":
    main()
