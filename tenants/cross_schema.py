"""The one place that reads across municipality schemas (for the cooperation office).

Builds a single ``UNION ALL`` over every municipality schema, so one round trip answers "what do
all municipalities have" without switching the connection's schema.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from tenants.models import Municipality


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def query_all_municipalities(
    select_sql: str, params: Sequence[Any] = (), *, statuses: Sequence[str] | None = None
) -> list[tuple[Any, ...]]:
    """Run ``select_sql`` in every municipality schema; each row is prefixed with its slug.

    ``select_sql`` names tenant tables as ``{schema}.table`` and may use ``%s`` parameters; the
    parameters are repeated for every schema.
    """
    municipalities = Municipality.objects.order_by("slug")
    if statuses is not None:
        municipalities = municipalities.filter(status__in=statuses)
    targets = list(municipalities.values_list("slug", "schema_name"))
    if not targets:
        return []
    parts = [
        f"SELECT %s AS municipality, q.* FROM ({select_sql.format(schema=_quote(schema))}) AS q"
        for _slug, schema in targets
    ]
    all_params: list[Any] = []
    for slug, _schema in targets:
        all_params.append(slug)
        all_params.extend(params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), all_params)
        return list(cursor.fetchall())
