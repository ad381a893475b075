"""Closing a database connection once it has served many municipality schemas (issue 26, ADR 0070).

A PostgreSQL backend keeps catalogue caches (relcache, catcache) for every relation it has touched and
never gives them back while the session lives: measured at ~0.4 MB per schema served, i.e. gigabytes
per connection when one persistent connection serves thousands of municipalities. With
``AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS = N`` (N > 0) a connection that has worked in N distinct
municipality schemas is closed when its request (or Celery task) ends; the next one opens a fresh
session. The cost is one connection set-up (a few milliseconds locally, more with TLS) per N schemas.
A connection is never closed inside a transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import connections


def recycle_if_due(**_signal: Any) -> None:
    """Close every connection that has served at least ``AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS`` schemas."""
    limit = settings.AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS
    if limit <= 0:
        return
    for connection in connections.all(initialized_only=True):
        served = getattr(connection, "schemas_served", ())
        if len(served) >= limit and not connection.in_atomic_block:
            connection.close()


def connect() -> None:
    """Check after every request and every Celery task (call from ``AppConfig.ready``)."""
    from celery.signals import task_postrun

    request_finished.connect(recycle_if_due, dispatch_uid="amtsplatz_db_recycle_request")
    task_postrun.connect(recycle_if_due, dispatch_uid="amtsplatz_db_recycle_task")
