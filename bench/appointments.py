"""Appointments under pressure: 200 clients book the same 20 slots; availability of 3 offices × 60 days.

.venv/bin/python -m bench.appointments [--clients 200] [--slots 20] [--availability-clients 20] [--seconds 20]

Against gunicorn (production configuration) and the JSON API, one municipality in its own bench database.
Every client solves its proof-of-work challenge first (not timed), then all post their reservation at once
for one of the 20 slots (each slot of capacity one). Printed: bookings made, double bookings found in the
database, what the losers got; then the latency of availability requests (60 days, three offices) and,
since wall-clock figures on a shared machine say more about the neighbours than about us, the CPU time the
web workers and their PostgreSQL backends spent per answer.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import time as clock
from subprocess import Popen
from typing import Any

from bench.harness import (
    PRODUCTION_CONFIG,
    cpu_ticks,
    database_backends,
    django_ready,
    gunicorn_start,
    gunicorn_stop,
    gunicorn_workers,
    idle_and_steal,
    percentile,
    process_cpu_seconds,
)
from bench.report import record

DATABASE = "amtsplatz_bench_appointments"
HOST = "termine-bench.localhost"
SERVICE = "meldebescheinigung"


def _municipality() -> list[str]:
    """The bench municipality with three offices open Monday–Friday 08:00–18:00; returns the office slugs."""
    from django_tenants.utils import schema_context

    from appointments.models import Booking, Calendar, Counter, SlotLoad, Staffing
    from demo.seed import seed_catalogue
    from offices.models import Office, OpeningInterval
    from services_catalog.local.models import LocalService
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
    from tenants.models import Municipality
    from tenants.services import municipality_create

    seed_catalogue()
    if not Municipality.objects.filter(slug="termine-bench").exists():
        municipality_create(
            name="Termine Bench", slug="termine-bench", domain=HOST, ags="16052999", state="16",
            admin_email="it@termine-bench.example", admin_password="Termine-Bench-Passwort-1",
        )  # fmt: skip
    slugs = ["bench-a", "bench-b", "bench-c"]
    with schema_context("termine_bench"):
        definition = ServiceDefinition.objects.get(key=SERVICE)
        local = LocalService.objects.filter(definition=definition).first() or service_adopt(definition=definition)
        for slug in slugs:
            office, created = Office.objects.get_or_create(
                slug=slug, defaults={"name": f"Bürgerbüro {slug[-1].upper()}", "street": "Markt 1",
                                     "postcode": "07545", "city": "Gera"},
            )  # fmt: skip
            if created:
                OpeningInterval.objects.bulk_create(
                    OpeningInterval(office=office, weekday=day, opens=clock(8), closes=clock(18)) for day in range(5)
                )
                office.services.add(local)
                office.save()
                calendar = Calendar.objects.create(office=office, lead_minutes=0, max_per_email=1)
                counter = Counter.objects.create(calendar=calendar, name="Schalter 1")
                Staffing.objects.bulk_create(
                    Staffing(counter=counter, weekday=day, start=clock(8), end=clock(18), capacity=1)
                    for day in range(5)
                )
        Booking.objects.all().delete()
        SlotLoad.objects.all().delete()
    return slugs


def _request(port: int, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method,
        headers={"Host": HOST, "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def _race(port: int, office: str, clients: int, slots: int) -> list[str]:
    from amtsplatz.infra import antispam
    from appointments.forms import POW_SALT

    status, found = _request(
        port, "GET", f"/api/v1/appointments/offices/{office}/availability?services={SERVICE}&days=14"
    )
    assert status == 200, found
    starts = [start for day in found["days"] for start in day["starts"]][:slots]
    payloads = []
    for n in range(clients):
        _status, challenge = _request(port, "GET", "/api/v1/appointments/challenge")
        payloads.append({
            "office": office, "services": [SERVICE], "start": starts[n % len(starts)],
            "email": f"client{n}@bench.example", "pow_challenge": challenge["challenge"],
            "pow_nonce": antispam.solve(challenge["challenge"], salt=POW_SALT),
        })  # fmt: skip
    barrier = threading.Barrier(clients)
    outcomes: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def client(payload: dict[str, Any]) -> None:
        barrier.wait()
        result = _request(port, "POST", "/api/v1/appointments/reservations", payload)
        with lock:
            outcomes.append(result)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(payload,)) for payload in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    statuses = Counter(status for status, _body in outcomes)
    losers = [body for status, body in outcomes if status == 409]
    clear = sum(1 for body in losers if body.get("detail") and body.get("next_free") is not None)
    with_times = sum(1 for body in losers if body.get("next_free"))

    from django.db.models import Count
    from django_tenants.utils import schema_context

    from appointments.models import Booking, SlotLoad

    with schema_context("termine_bench"):
        held = Booking.objects.filter(status=Booking.Status.RESERVED).count()
        doubled = Booking.objects.values("calendar", "start").annotate(n=Count("pk")).filter(n__gt=1).count()
        overfilled = SlotLoad.objects.filter(booked__gt=1).count()
    return [
        f"race: {clients} clients, {len(starts)} slots of capacity 1, all posting at once ({elapsed:.1f} s)",
        f"  answers: {dict(sorted(statuses.items()))}",
        f"  bookings stored: {held}; slots booked twice: {doubled}; units over capacity: {overfilled}",
        f"  losers (409): {len(losers)}, each with a message: {clear}, with next free times: {with_times}",
    ]


def _cpu(pids: list[int], before: dict[int, float]) -> float:
    """CPU seconds ``pids`` used since ``before`` (a process that started meanwhile counts from zero)."""
    now = process_cpu_seconds(pids)
    return sum(spent - before.get(pid, 0.0) for pid, spent in now.items())


def _availability(port: int, offices: list[str], clients: int, seconds: float, server: Popen[bytes]) -> list[str]:
    timings: list[float] = []
    lock = threading.Lock()
    workers = gunicorn_workers(server)
    backends = database_backends(DATABASE)
    web_before, db_before = process_cpu_seconds(workers), process_cpu_seconds(backends)
    ticks_before, load_before = cpu_ticks(), os.getloadavg()[0]
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        office = offices[n % len(offices)]
        while time.monotonic() < deadline:
            began = time.monotonic()
            status, _body = _request(
                port, "GET", f"/api/v1/appointments/offices/{office}/availability?services={SERVICE}&days=60"
            )
            with lock:
                timings.append((time.monotonic() - began) * 1000 if status == 200 else float("inf"))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    idle, steal = idle_and_steal(ticks_before, cpu_ticks())
    web = _cpu(gunicorn_workers(server), web_before)
    database = _cpu(sorted(set(backends) | set(database_backends(DATABASE))), db_before)
    ok = [t for t in timings if t != float("inf")]
    per = 1000 / len(ok) if ok else 0.0
    return [
        f"availability: 3 offices × 60 days, {clients} clients, {seconds:.0f} s: {len(ok)} answers "
        f"({len(timings) - len(ok)} failed), wall p50 {percentile(ok, 0.5):.0f} ms, p95 {percentile(ok, 0.95):.0f} ms",
        f"  CPU per answer (independent of the machine's load): web workers {web * per:.1f} ms, "
        f"PostgreSQL backends {database * per:.1f} ms",
        f"  machine meanwhile: load average {load_before:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores, "
        f"{idle:.0f} % idle, {steal:.0f} % stolen by the hypervisor",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--availability-clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()
    django_ready(DATABASE)
    print("Preparing the bench municipality …", flush=True)
    offices = _municipality()
    # 200 clients come from one address here; in production they would not.
    # Workers are not recycled during the run, so their CPU time adds up (GUNICORN_MAX_REQUESTS 0: never).
    env = {**os.environ, "AMTSPLATZ_PAGE_CACHE_SECONDS": "0", "AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR": "100000",
           "GUNICORN_MAX_REQUESTS": "0"}  # fmt: skip
    server = gunicorn_start(args.port, HOST, env, config=PRODUCTION_CONFIG)
    try:
        print(f"Racing {args.clients} clients for {args.slots} slots …", flush=True)
        lines = _race(args.port, offices[0], args.clients, args.slots)
        print(f"Availability with {args.availability_clients} clients for {args.seconds:.0f} s …", flush=True)
        lines += _availability(args.port, offices, args.availability_clients, args.seconds, server)
    finally:
        gunicorn_stop(server)
    lines.append("note: wall figures vary with whatever else the machine runs (load above); CPU per answer much less")
    print("\n".join(lines))
    record("appointments", "python -m bench.appointments", lines)


if __name__ == "__main__":
    main()
