"""`make serve`: the production process layout (gunicorn + Celery worker + beat under honcho) on this machine.

Started against the demo database, the real broker and S3 (moto over HTTP); every demo host answers, a
task runs through the real worker, the metrics show both, web workers recycled after a few requests come
back (forked from the preloaded master) with their counts kept, and everything stops with the process group.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import boto3
from django.conf import settings
from django_tenants.utils import schema_context

from amtsplatz.core.tasks import worker_probe
from tests.conftest import PROJECT_ROOT, child_process_env, free_port, healthz_wait

DEMO_HOSTS = ["localhost", "gera.localhost", "wurzen.localhost", "augustusburg.localhost"]
TOKEN = "serve-metrics-" + uuid.uuid4().hex
MAX_REQUESTS = 10  # each web worker is recycled after 10 to 11 requests


def _get(port: int, host: str, path: str, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host, **headers})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (a fixed http URL)
        return response.status, response.read()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_serve_runs_web_worker_and_beat(demo_database: str, s3_server: str, django_db_blocker: Any) -> None:
    bucket = f"serve-{uuid.uuid4().hex[:12]}"
    s3 = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_S3_REGION_NAME": "us-east-1"}
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)  # fmt: skip
    port = free_port()
    queue = f"{settings.REDIS_NAMESPACE}-serve"
    scratch = Path(tempfile.mkdtemp(prefix="amtsplatz-serve-"))
    env = {
        **child_process_env(django_db_blocker),
        **s3,
        "DATABASE_URL": demo_database,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AMTSPLATZ_PORTAL_PORT": str(port),
        "AMTSPLATZ_CELERY_QUEUE": queue,  # this worker's own queue: no other test worker takes the task
        "AMTSPLATZ_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(scratch / "metrics"),
        "CELERY_BEAT_SCHEDULE_FILE": str(scratch / "celerybeat-schedule"),
        "CELERY_CONCURRENCY": "1",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_MAX_REQUESTS": str(MAX_REQUESTS),
    }
    log_path = scratch / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"SERVE_PORT={port}"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole below
        )
    try:
        try:
            healthz_wait(port, "localhost", process)
        except RuntimeError as error:
            raise RuntimeError(f"make serve did not come up:\n{log_path.read_text()[-4000:]}") from error

        for host in DEMO_HOSTS:
            status, body = _get(port, host, "/")
            assert status == 200, host
            status, body = _get(port, host, "/readyz")
            assert json.loads(body) == {
                "status": "ok",
                "checks": {"database": "ok", "cache": "ok", "broker": "ok", "storage": "ok"},
            }, host

        with schema_context("gera"):
            result = worker_probe.apply_async(queue=queue)
        outcome = result.get(timeout=180)
        assert outcome["schema"] == "gera"
        assert outcome["base_url"] == f"http://gera.localhost:{port}"
        assert outcome["site_name"]

        # The worker counts the outcome just after it stored the result: poll briefly.
        task_line = 'amtsplatz_celery_tasks_total{outcome="success",task="core.worker_probe"}'
        deadline = time.monotonic() + 60
        while True:
            text = _get(port, "localhost", "/metrics", Authorization=f"Bearer {TOKEN}")[1].decode()
            if task_line in text or time.monotonic() > deadline:
                break
            time.sleep(1)
        for schema in ("public", "gera", "wurzen", "augustusburg"):
            assert f'amtsplatz_http_requests_total{{schema="{schema}",status="200"}}' in text
        assert task_line in text
        assert f'amtsplatz_celery_queue_length{{queue="{queue}"}}' in text

        # Several recycles of both workers: every request is answered, the stopped workers' counts stay.
        for _ in range(4 * MAX_REQUESTS):
            assert _get(port, "wurzen.localhost", "/")[0] == 200
        text = _get(port, "localhost", "/metrics", Authorization=f"Bearer {TOKEN}")[1].decode()
        counted = 'amtsplatz_http_requests_total{schema="wurzen",status="200"} '
        wurzen = next(line.removeprefix(counted) for line in text.splitlines() if line.startswith(counted))
        assert float(wurzen) >= 2 + 4 * MAX_REQUESTS  # with the page and /readyz asked for before
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 90
        # poll() reaps make itself: a zombie would still count as a member of the group.
        while (process.poll() is None or _group_alive(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.5)
        stopped = not _group_alive(process.pid)
        if not stopped:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert stopped, f"make serve left processes running:\n{log_path.read_text()[-4000:]}"
    output = log_path.read_text()
    assert "web.1" in output and "worker.1" in output and "beat.1" in output
    assert output.count("Booting worker") >= 4, "the web workers were not recycled"
