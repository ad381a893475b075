"""CSV cells that a spreadsheet would run as a formula are neutralised (CSV/formula injection).

Excel and LibreOffice treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (tab and
carriage return are stripped first by some of them); a citizen's text such as ``=HYPERLINK("http://…")``
would become a live link or a DDE call in an official's spreadsheet. Such text gets a leading apostrophe,
which spreadsheets show as plain text. Numbers stay numbers: only strings are changed.
"""

from __future__ import annotations

from collections.abc import Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as it may go into a CSV cell: ``""`` for None, text that starts a formula with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, object]) -> dict[str, object]:
    """Every cell of a row through :func:`safe_cell`."""
    return {key: safe_cell(value) for key, value in row.items()}
