"""Shared set-up for benchmarks: a dedicated database on the configured server, Django ready."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from subprocess import STDOUT, Popen, TimeoutExpired
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    from amtsplatz.infra.embedded import ensure_postgres

    return ensure_postgres()


def use_bench_database(name: str) -> str:
    """Point DATABASE_URL at database ``name`` on the configured server, creating it if needed."""
    import psycopg

    parts = urlsplit(_server_url())
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
    os.environ.setdefault("AMTSPLATZ_REDIS_NAMESPACE", f"bench-{name}")
    return url


def django_ready(database: str) -> None:
    """Configure Django against a migrated bench database (public and template schema)."""
    use_bench_database(database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_all", skip_tenants=True, verbosity=0)


def machine() -> str:
    """One line that says what the figures were measured on."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = f"PostgreSQL {cursor.fetchone()[0]}"
    except Exception:  # Django not set up (the bench runner): ask the server directly
        pg = _server_version()
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {pg}"


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far by kind (the first line of /proc/stat: user, nice, system, idle, …)."""
    return [int(ticks) for ticks in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]


def idle_and_steal(before: list[int], after: list[int]) -> tuple[float, float]:
    """Per cent of the CPU time between two :func:`cpu_ticks` left idle (or waiting for the disk) and
    taken by the hypervisor for other guests (steal): on a shared virtual machine the second explains
    most of the spread between runs."""
    spent = [later - earlier for earlier, later in zip(before, after, strict=True)]
    total = sum(spent) or 1
    return 100 * (spent[3] + spent[4]) / total, 100 * spent[7] / total


def _server_version() -> str:
    try:
        import psycopg

        with psycopg.connect(_server_url(), connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {row[0]}" if row else "PostgreSQL version unknown"
    except Exception:
        return "PostgreSQL version unknown"


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (``share`` 0.5 → median, 0.99 → p99)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


@dataclass
class Load:
    """What a run of the load generator saw: answers by "status/X-Page-Cache", latencies in seconds."""

    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)

    def add(self, other: Load) -> None:
        self.wall += other.wall
        self.latencies += other.latencies
        self.answers.update(other.answers)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 0.95) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000

    @property
    def page_cache_hit_rate(self) -> float:
        """Share of the answers served from the page cache (``X-Page-Cache: hit``)."""
        hits = sum(count for key, count in self.answers.items() if key.endswith("/hit"))
        return hits / max(1, sum(self.answers.values()))

    def answers_text(self) -> str:
        return ", ".join(f"{key} x{count}" for key, count in sorted(self.answers.items()))


def load(port: int, host: str | Callable[[], str], path: str, *, seconds: float, connections: int = 10) -> Load:
    """GET ``path`` from ``connections`` concurrent clients for ``seconds`` (closed loop, like wrk -c).

    The load generator of all benchmarks: Python threads with http.client, one TCP connection per
    request (gunicorn's sync workers close each connection after the response anyway). ``host`` is
    the Host header of every request, or a function giving the next request's (traffic spread over
    many municipalities).
    """
    if isinstance(host, str):
        fixed = host

        def next_host() -> str:
            return fixed
    else:
        next_host = host
    started = time.perf_counter()
    deadline = started + seconds

    def client() -> Load:
        seen = Load()
        while (sent := time.perf_counter()) < deadline:
            connection = HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Host": next_host()})
            response = connection.getresponse()
            response.read()
            connection.close()
            seen.latencies.append(time.perf_counter() - sent)
            seen.answers[f"{response.status}/{response.getheader('X-Page-Cache') or '-'}"] += 1
        return seen

    total = Load()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        for seen in pool.map(lambda _i: client(), range(connections)):
            total.add(seen)
    total.wall = time.perf_counter() - started
    return total


def load_side_by_side(
    ports: dict[str, int], host: str, path: str, *, seconds: float, connections: int
) -> dict[str, Load]:
    """GET ``path`` from every server in ``ports`` at the same time, ``connections`` clients each.

    For comparing two set-ups: whatever else the machine does during the run (another virtual
    machine on the host, a checkpoint, the collector) falls on both at the same moment.
    """
    with ThreadPoolExecutor(max_workers=len(ports)) as pool:
        running = {
            name: pool.submit(load, port, host, path, seconds=seconds, connections=connections)
            for name, port in ports.items()
        }
        return {name: future.result() for name, future in running.items()}


def gunicorn_log(port: int) -> Path:
    """Where the gunicorn serving ``port`` writes its output by default."""
    return Path(tempfile.gettempdir()) / f"amtsplatz-bench-gunicorn-{port}.log"


PRODUCTION_CONFIG = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"


def gunicorn_start(
    port: int,
    host: str,
    env: dict[str, str],
    *,
    workers: int = 2,
    config: Path | None = None,
    log: Path | None = None,
) -> Popen[bytes]:
    """gunicorn serving Amtsplatz on ``port`` with ``env``; returns once ``host``'s /healthz answers.

    With a ``config`` file (e.g. PRODUCTION_CONFIG: its worker count, preloading and recycling) the
    file decides the rest; without one, gunicorn's defaults serve with ``workers`` workers.
    Its output (one log line per request) goes to ``log``, by default a file in the temporary folder
    named after the port; on failure the process is stopped and the error says where to look.
    """
    log = log or gunicorn_log(port)
    command = [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--config", str(config)] if config else ["--workers", str(workers)]
    with log.open("wb") as output:
        process = Popen(command, env=env, cwd=PROJECT_ROOT, stdout=output, stderr=STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"Host": host})
            urllib.request.urlopen(request, timeout=2)
            return process
        except OSError as error:
            if time.monotonic() > deadline or process.poll() is not None:
                gunicorn_stop(process)
                raise RuntimeError(f"gunicorn did not start on port {port}; see {log}.") from error
            time.sleep(0.2)


def gunicorn_workers(process: Popen[bytes]) -> list[int]:
    """The process ids of a running gunicorn's workers (Linux)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def process_cpu_seconds(pids: list[int]) -> dict[int, float]:
    """CPU time (user + system, seconds) each of ``pids`` has used so far; a process gone is left out (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime and stime (fields 14 and 15 of stat)
    return found


def database_backends(database: str) -> list[int]:
    """Process ids of the PostgreSQL backends serving ``database`` (on this machine: their CPU is readable)."""
    import psycopg

    with psycopg.connect(_server_url(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        ).fetchall()
    return [row[0] for row in rows]


def gunicorn_stop(process: Popen[bytes]) -> None:
    """Stop a server politely, then firmly."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def memory_kib(pid: int) -> tuple[int, int, int]:
    """Memory of ``pid`` in KiB: resident (RSS), proportional (PSS: shared pages divided among their users)
    and private (USS: pages no other process maps; for a PostgreSQL backend its caches, not shared buffers).

    From /proc/<pid>/smaps_rollup (Linux); zeros when the process is gone or not readable.
    """
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:] if line.endswith("kB")}
    private = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return values.get("Rss", 0), values.get("Pss", 0), private
