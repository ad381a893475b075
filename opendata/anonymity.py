"""The k-anonymity rule for generated data sets (ADR 0063).

Every count of people's contributions that is greater than 0 and smaller than k is suppressed: the cell is
published empty and the row is marked. Zero is published (it tells nothing about a person). No totals are
published next to suppressed cells, so a suppressed value cannot be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from amtsplatz.infra.open_data import Row

SUPPRESSED_MARK = "suppressed"


def k_threshold() -> int:
    return int(settings.OPENDATA_K_ANONYMITY)


def suppress(rows: Sequence[Row], count_columns: Sequence[str], k: int | None = None) -> list[Row]:
    """Copies of ``rows`` with every count in ``count_columns`` below ``k`` (and above 0) set to None.

    Each row gets a ``suppressed`` column: the names of its suppressed cells, comma-separated (empty if none).
    """
    k = k_threshold() if k is None else k
    result: list[Row] = []
    for row in rows:
        clean = dict(row)
        hidden = [column for column in count_columns if 0 < int(clean.get(column) or 0) < k]
        for column in hidden:
            clean[column] = None
        clean[SUPPRESSED_MARK] = ",".join(hidden)
        result.append(clean)
    return result
