"""The one place that reads across municipality schemas (for the cooperation office).

Builds a ``UNION ALL`` over the municipality schemas, so few round trips answer "what do all municipalities have"
without switching the connection's schema. At thousands of schemas one statement would lock every table and index
of every schema at once (more than PostgreSQL's lock table holds: ``max_locks_per_transaction`` ×
``max_connections``, 6,400 by default) and plan for minutes: the schemas are read ``CHUNK`` at a time, each chunk in
its own transaction (a savepoint inside a caller's transaction), so outside a transaction its locks are released
before the next chunk (ADR 0094).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from tenants.models import Municipality

CHUNK = 100


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def query_all_municipalities(
    select_sql: str, params: Sequence[Any] = (), *, statuses: Sequence[str] | None = None, chunk: int = CHUNK
) -> list[tuple[Any, ...]]:
    """Run ``select_sql`` in every municipality schema; each row is prefixed with its slug.

    ``select_sql`` names tenant tables as ``{schema}.table`` and may use ``%s`` parameters; the
    parameters are repeated for every schema. One statement per ``chunk`` schemas.
    """
    municipalities = Municipality.objects.order_by("slug")
    if statuses is not None:
        municipalities = municipalities.filter(status__in=statuses)
    targets = list(municipalities.values_list("slug", "schema_name"))
    if not targets:
        return []
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(targets), chunk):
        part = targets[start : start + chunk]
        parts = [
            f"SELECT %s AS municipality, q.* FROM ({select_sql.format(schema=_quote(schema))}) AS q"
            for _slug, schema in part
        ]
        all_params: list[Any] = []
        for slug, _schema in part:
            all_params.append(slug)
            all_params.extend(params)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), all_params)
            rows.extend(cursor.fetchall())
    return rows
