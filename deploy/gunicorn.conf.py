"""gunicorn settings for the web process (container, compose, Kubernetes, make serve).

Prometheus multiprocess mode: every worker writes its samples to PROMETHEUS_MULTIPROC_DIR and /metrics
adds them up; the folder is emptied when the server starts and a stopped worker's samples are marked dead.
"""

import os
import shutil
import tempfile
from pathlib import Path

# Before prometheus_client is imported anywhere: it picks its storage when first imported.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="amtsplatz-metrics-"))

from prometheus_client import multiprocess

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# One worker per core plus one: it works while the others wait for PostgreSQL or Redis (ADR 0031).
workers = int(os.environ.get("GUNICORN_WORKERS", str(len(os.sched_getaffinity(0)) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Django is imported once, in the master: workers fork with it loaded and share its frozen heap
# (amtsplatz/wsgi.py). A recycled worker is back in milliseconds; importing anew took seconds, and
# under load the recycled worker's share of requests waited that long (ADR 0031).
preload_app = True
# Recycle workers now and then: bounded memory however long the process runs.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy in front (nginx, ingress) sets X-Forwarded-Proto; trust only it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Django writes one JSON access line per request (with request id and schema): no second access log.
accesslog = None
errorlog = "-"
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 (a RAM disk for heartbeats)


def on_starting(server: object) -> None:
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    if folder.exists() and os.environ.get("AMTSPLATZ_METRICS_SHARED_DIR") != "1":
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def child_exit(server: object, worker: object) -> None:
    multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def pre_fork(server: object, worker: object) -> None:
    # Nothing in the master should have connected to PostgreSQL; if something did, no worker may inherit the socket.
    from django.db import connections

    connections.close_all()
