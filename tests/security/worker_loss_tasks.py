"""A task for tests/security/test_worker_loss.py, loaded only by the worker that test starts (``--include``)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from amtsplatz.celery import app


@app.task(name="tests.worker_loss.die_once")
def die_once(folder: str) -> None:
    """The first run kills its own pool process (as the OOM killer or a crash would); the next run finishes."""
    attempts = Path(folder) / "attempts"
    attempts.write_text(attempts.read_text() + "x" if attempts.exists() else "x")
    if len(attempts.read_text()) == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    (Path(folder) / "done").write_text("done")
