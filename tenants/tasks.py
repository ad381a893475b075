"""Work per municipality in the background: queue a task by name on commit, and fan a task out.

Services queue tasks through ``enqueue_on_commit`` by the task's registered name, so a service never
imports its app's tasks module (tasks call services, not the other way round).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django_tenants.utils import schema_context

from amtsplatz.celery import app
from tenants.db import on_commit_in_current_schema
from tenants.selectors import active_municipalities

logger = logging.getLogger(__name__)


def task_named(name: str) -> Task[Any, Any]:
    """The registered task ``name``; imports every app's tasks module the first time (a web process
    has not, a worker has)."""
    if name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue_on_commit(
    task_name: str, args: list[Any], *, what: str, fallback: Callable[[], object] | None = None
) -> None:
    """After commit, hand the task ``task_name`` to a worker in the current schema (tenant-schemas-celery
    carries it).

    When the broker is down, ``fallback`` runs in the request instead (e-mails); without one, the
    periodic sweepers pick the work up later. A failing fallback is logged, never raised: what was
    committed stays committed.
    """

    def send() -> None:
        try:
            task_named(task_name).apply_async(args=tuple(args), retry=False)
        except Exception:
            logger.warning("Could not queue %s", what, exc_info=True)
            if fallback is None:
                return
            try:
                fallback()
            except Exception:
                logger.exception("Could not do %s in the request either", what)

    on_commit_in_current_schema(send)


@app.task(name="tenants.fan_out")
def fan_out(task_name: str) -> int:
    """Run a per-municipality task in every active municipality (from the beat schedule)."""
    task = task_named(task_name)
    count = 0
    for municipality in active_municipalities():
        with schema_context(municipality.schema_name):
            task.apply_async()
        count += 1
    return count
