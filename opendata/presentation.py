"""What the dataset page shows of a table: a preview with column types, a bar chart of a numeric column, points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NUMERIC = ("integer", "decimal")
CHART_WIDTH = 640
BAR_HEIGHT = 22
LABEL_WIDTH = 200


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: str  # SVG attributes, formatted without locale
    text_x: str


@dataclass(frozen=True)
class Chart:
    column: str
    label_column: str
    bars: list[Bar]
    height: int
    value_x: int = LABEL_WIDTH
    label_x: int = LABEL_WIDTH - 8


def _number(text: Any) -> float | None:
    try:
        return float(str(text).replace(",", "."))
    except ValueError:
        return None


def bar_chart(columns: list[dict[str, str]], rows: list[list[Any]]) -> Chart | None:
    """Bars of the first numeric column, labelled by the first other column; None without a numeric column."""
    numeric = next((i for i, column in enumerate(columns) if column["type"] in NUMERIC), None)
    if numeric is None or not rows:
        return None
    label = next((i for i, column in enumerate(columns) if column["type"] not in NUMERIC), None)
    values = [(_number(row[numeric]), row) for row in rows]
    present = [value for value, _row in values if value is not None]
    if not present:
        return None
    largest = max(max(abs(value) for value in present), 1e-9)
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / largest
    bars = [
        Bar(
            label=str(row[label]) if label is not None else str(index),
            value=value or 0,
            text=str(row[numeric]) if value is not None else "–",
            y=(index - 1) * BAR_HEIGHT,
            width=f"{abs(value or 0) * scale:.1f}",
            text_x=f"{LABEL_WIDTH + abs(value or 0) * scale + 6:.1f}",
        )
        for index, (value, row) in enumerate(values, start=1)
    ]
    return Chart(
        column=columns[numeric]["name"],
        label_column=columns[label]["name"] if label is not None else "#",
        bars=bars,
        height=len(bars) * BAR_HEIGHT,
    )


def rows_from_records(columns: list[str], records: list[dict[str, Any]]) -> list[list[Any]]:
    return [["" if record.get(column) is None else record.get(column) for column in columns] for record in records]
