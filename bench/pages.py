"""Requests per second of one municipality's home page for anonymous visitors: uncached, cached, and a static file.

.venv/bin/python -m bench.pages [--connections 10] [--seconds 5] [--rounds 2]

Seeds one municipality like the demo's Gera (pages, services adopted) in a dedicated bench database,
then serves it with gunicorn (2 sync workers) twice in one run: first with the page cache switched
off (AMTSPLATZ_PAGE_CACHE_SECONDS=0), then on. With the cache on, the cached home page and a static
file (whitenoise, served by the same gunicorn before any tenant lookup: the practical ceiling of this
stack) take turns, ``--rounds`` times ``--seconds`` each. Goals: cached at least 10x uncached, and
at least half the static file's rate.
"""

from __future__ import annotations

import argparse
import os
from subprocess import Popen

from bench.fleet import ensure_portal
from bench.harness import Load, django_ready, gunicorn_start, gunicorn_stop, load, machine
from bench.report import record

SLUG = "benchpages"
STATIC_PATH = "/static/themes/css/portal.css"


def _serve(port: int, host: str, cache_seconds: int) -> Popen[bytes]:
    env = {
        **os.environ,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "AMTSPLATZ_PAGE_CACHE_SECONDS": str(cache_seconds),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return gunicorn_start(port, host, env)


def _line(label: str, seen: Load) -> str:
    return (
        f"{label:<22} {seen.per_second:7.1f} requests/s   p50 {seen.p50_ms:6.1f} ms   p99 {seen.p99_ms:6.1f} ms"
        f"   (answers status/X-Page-Cache: {seen.answers_text()})"
    )


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    django_ready("amtsplatz_bench_pages")
    host = ensure_portal(SLUG, "Benchstadt Portal", "14050002")

    uncached = Load()
    server = _serve(args.port, host, 0)
    try:
        load(args.port, host, "/", seconds=2, connections=args.connections)  # both workers warm
        for _round in range(args.rounds):
            uncached.add(load(args.port, host, "/", seconds=args.seconds, connections=args.connections))
    finally:
        gunicorn_stop(server)

    cached, static = Load(), Load()
    server = _serve(args.port, host, 300)
    try:
        load(args.port, host, "/", seconds=2, connections=args.connections)  # workers and the cache warm
        load(args.port, host, STATIC_PATH, seconds=1, connections=args.connections)
        for _round in range(args.rounds):
            cached.add(load(args.port, host, "/", seconds=args.seconds, connections=args.connections))
            static.add(load(args.port, host, STATIC_PATH, seconds=args.seconds, connections=args.connections))
    finally:
        gunicorn_stop(server)

    figures = {
        "uncached_per_second": uncached.per_second,
        "cached_per_second": cached.per_second,
        "static_per_second": static.per_second,
        "cached_vs_uncached": cached.per_second / uncached.per_second,
        "cached_vs_static": cached.per_second / static.per_second,
    }
    lines = [
        f"GET / of one municipality, {args.connections} concurrent connections, gunicorn 2 sync workers, "
        f"{args.rounds} x {args.seconds:g} s per mode (cached and static interleaved)",
        _line("uncached home page:", uncached),
        _line("cached home page:", cached),
        _line(f"static {STATIC_PATH}:", static),
        f"cached vs uncached: {figures['cached_vs_uncached']:.1f}x   (goal >= 10x)",
        f"cached vs static file: {figures['cached_vs_static']:.2f}   (goal >= 0.5)",
    ]
    print("\n".join([*lines, f"machine: {machine()}"]))
    command = (
        f"python -m bench.pages --connections {args.connections} --seconds {args.seconds:g} --rounds {args.rounds}"
    )
    record("pages", command, lines)
    return figures


if __name__ == "__main__":
    main()
