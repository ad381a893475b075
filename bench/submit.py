"""Submissions per second and latency of POST /api/v1/applications at 20 concurrent clients.

.venv/bin/python -m bench.submit [--clients 20] [--requests 600]

Serves one municipality with gunicorn (2 sync workers) against a dedicated bench database and
files resident parking permits through the API, each with its own idempotency key. Afterwards it
counts the stored applications: every 201 must be one application (nothing lost, nothing twice).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from subprocess import Popen

from bench.harness import django_ready, gunicorn_start, gunicorn_stop
from bench.report import record

SLUG = "benchsubmit"
HOST = f"{SLUG}.bench.localhost"
BODY = {
    "service": "bewohnerparkausweis",
    "data": {
        "vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "1980-05-17", "strasse": "Sorge 1",
        "plz": "07545", "ort": "Gera", "hauptwohnsitz": True, "kennzeichen": "G-AB 123", "gesamtmasse": 1500,
        "halter": True,
    },
}  # fmt: skip


def _prepare() -> str:
    """The municipality with the parking permit adopted; the citizen token for filing."""
    from django_tenants.utils import schema_context

    from applications.identity import email_token
    from applications.models import Application
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
    from tenants.demo import seed_catalogue
    from tenants.models import Municipality
    from tenants.services import municipality_create

    seed_catalogue()
    if not Municipality.objects.filter(slug=SLUG).exists():
        municipality_create(name="Benchstadt Antrag", slug=SLUG, domain=HOST, ags="14050001", state="14",
                            admin_email=f"it@{SLUG}.example")  # fmt: skip
    with schema_context(SLUG):
        service_adopt(definition=ServiceDefinition.objects.get(key="bewohnerparkausweis"))
        Application.objects.all().delete()
        return email_token("bench@example.org")


def _serve(port: int) -> Popen[bytes]:
    env = {
        **os.environ,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    return gunicorn_start(port, HOST, env)


def _submit(port: int, token: str, index: int) -> tuple[int, float]:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Host": HOST,
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "Idempotency-Key": f"bench-{os.getpid()}-{index}",
    }
    started = time.perf_counter()
    connection.request("POST", "/api/v1/applications", body=json.dumps(BODY), headers=headers)
    status = connection.getresponse().status
    elapsed = time.perf_counter() - started
    connection.close()
    return status, elapsed


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    django_ready("amtsplatz_bench_submit")
    token = _prepare()
    server = _serve(args.port)
    try:
        for index in range(20):  # warm both workers
            _submit(args.port, token, -1 - index)
        from django_tenants.utils import schema_context

        from applications.models import Application

        with schema_context(SLUG):
            Application.objects.all().delete()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            results = list(pool.map(lambda i: _submit(args.port, token, i), range(args.requests)))
        wall = time.perf_counter() - started
    finally:
        gunicorn_stop(server)

    with schema_context(SLUG):
        stored = Application.objects.exclude(status="draft").count()
    created = sum(1 for status, _elapsed in results if status == 201)
    latencies = sorted(elapsed for _status, elapsed in results)
    figures = {
        "per_second": args.requests / wall,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "created": created,
        "stored": stored,
    }
    lines = [
        f"{args.requests} submissions, {args.clients} concurrent clients, gunicorn 2 sync workers",
        f"throughput: {figures['per_second']:.1f} submissions/s",
        f"latency p50: {figures['p50_ms']:.0f} ms, p95: {figures['p95_ms']:.0f} ms   (goal p95 < 150 ms)",
        f"answered 201: {created}, stored: {stored}, other answers: {args.requests - created}   (goal: all stored)",
    ]
    print("\n".join(lines))
    record("submit", f"python -m bench.submit --clients {args.clients} --requests {args.requests}", lines)
    return figures


if __name__ == "__main__":
    main()
