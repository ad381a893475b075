"""A task whose worker process dies is delivered again at once, not dropped (task_reject_on_worker_lost).

Our tasks are idempotent, so running one again is safe; dropping it left decisions waiting for the sweeper.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from amtsplatz.celery import app
from tests.conftest import PROJECT_ROOT, child_process_env


@pytest.mark.django_db
def test_a_task_of_a_killed_worker_process_runs_again(django_db_blocker: Any) -> None:
    queue = f"worker-loss-{uuid.uuid4().hex}"
    folder = Path(tempfile.mkdtemp(prefix="amtsplatz-worker-loss-"))
    log = open(folder / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "amtsplatz", "worker", "--pool", "prefork", "--concurrency", "1",
         "--queues", queue, "--include", "tests.security.worker_loss_tasks", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        env=child_process_env(django_db_blocker), stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
    )  # fmt: skip
    try:
        app.send_task("tests.worker_loss.die_once", args=[str(folder)], queue=queue)
        deadline = time.monotonic() + 90
        while not (folder / "done").exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert (folder / "attempts").read_text() == "xx", (folder / "worker.log").read_text()
        assert (folder / "done").exists()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
