"""Requests per second of one municipality's home page for anonymous visitors, uncached and cached.

.venv/bin/python -m bench.pages [--clients 20] [--requests 1000]

Seeds one municipality like the demo's Gera (pages, services adopted) in a dedicated bench database,
then serves it with gunicorn (2 sync workers) twice in one run: first with the page cache switched
off (AMTSPLATZ_PAGE_CACHE_SECONDS=0), then on. Each time it warms both workers up and fetches the
home page ``--requests`` times from ``--clients`` concurrent clients. Goal: cached at least 10x.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from subprocess import Popen

from bench.harness import django_ready, gunicorn_start, gunicorn_stop, machine
from bench.report import record

SLUG = "benchpages"
HOST = f"{SLUG}.bench.localhost"
WARM_UP = 40


def _prepare() -> None:
    """The municipality with Gera's demo services adopted; its page cache purged."""
    from django_tenants.utils import schema_context

    from cms.page_cache import page_cache_purge
    from cms.services import portal_skeleton_ensure
    from services_catalog.local.models import LocalService
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
    from tenants.demo import DEMO_MUNICIPALITIES, seed_catalogue
    from tenants.models import Municipality
    from tenants.services import municipality_create

    seed_catalogue()
    if not Municipality.objects.filter(slug=SLUG).exists():
        municipality_create(name="Benchstadt Portal", slug=SLUG, domain=HOST, ags="14050002", state="14",
                            admin_email=f"it@{SLUG}.example")  # fmt: skip
    services = DEMO_MUNICIPALITIES[0].services
    with schema_context(SLUG):
        portal_skeleton_ensure()
        adopted = set(LocalService.objects.values_list("definition__key", flat=True))
        for definition in ServiceDefinition.objects.filter(key__in=services).exclude(key__in=adopted):
            service_adopt(definition=definition, **services[definition.key])
    page_cache_purge(SLUG)  # autocommit: at once


def _serve(port: int, cache_seconds: int) -> Popen[bytes]:
    env = {
        **os.environ,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "AMTSPLATZ_PAGE_CACHE_SECONDS": str(cache_seconds),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return gunicorn_start(port, HOST, env)


def _fetch(port: int) -> tuple[int, str]:
    """One anonymous GET of the home page: (status, X-Page-Cache or "-")."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/", headers={"Host": HOST})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, response.getheader("X-Page-Cache") or "-"


def _measure(port: int, cache_seconds: int, clients: int, requests: int) -> tuple[float, Counter[str]]:
    """Requests per second with one gunicorn; and how the answers were served (status/cache)."""
    server = _serve(port, cache_seconds)
    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(lambda _i: _fetch(port), range(WARM_UP)))  # both workers, and the cache, warm
            started = time.perf_counter()
            results = list(pool.map(lambda _i: _fetch(port), range(requests)))
            wall = time.perf_counter() - started
    finally:
        gunicorn_stop(server)
    return requests / wall, Counter(f"{status}/{cache}" for status, cache in results)


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()

    django_ready("amtsplatz_bench_pages")
    _prepare()
    uncached, uncached_answers = _measure(args.port, 0, args.clients, args.requests)
    cached, cached_answers = _measure(args.port, 300, args.clients, args.requests)
    ratio = cached / uncached
    figures = {"uncached_per_second": uncached, "cached_per_second": cached, "ratio": ratio}

    def answers(counter: Counter[str]) -> str:
        return ", ".join(f"{key} x{count}" for key, count in sorted(counter.items()))

    lines = [
        f"GET / of one municipality, {args.requests} requests per mode, {args.clients} concurrent clients, "
        "gunicorn 2 sync workers",
        f"uncached: {uncached:.1f} requests/s   (answers status/X-Page-Cache: {answers(uncached_answers)})",
        f"cached:   {cached:.1f} requests/s   (answers status/X-Page-Cache: {answers(cached_answers)})",
        f"ratio: cached is {ratio:.1f}x faster   (goal >= 10x)",
    ]
    print("\n".join([*lines, f"machine: {machine()}"]))
    record("pages", f"python -m bench.pages --clients {args.clients} --requests {args.requests}", lines)
    return figures


if __name__ == "__main__":
    main()
