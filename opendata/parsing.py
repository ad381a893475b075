"""Checks an uploaded data file and describes it: encoding, delimiter, columns with inferred types, preview, points.

CSV, JSON, GeoJSON and XLSX. A file that cannot be read as a table of its kind is refused with a
``ValidationError`` that names the line (or row) and the reason, so the editor can fix the file.
No storage, no models: the caller decides what to keep.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PREVIEW_ROWS = 20
MAX_POINTS = 500
DELIMITERS = ",;\t|"
TYPES = ("integer", "decimal", "boolean", "date", "datetime", "text")  # narrowest first; text accepts anything
_PATTERNS = {
    "integer": re.compile(r"^[+-]?\d{1,18}$"),
    "decimal": re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$"),
    "boolean": re.compile(r"^(true|false|ja|nein|yes|no|wahr|falsch)$", re.IGNORECASE),
    "date": re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})$"),
    "datetime": re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"),
}
TYPE_LABELS = {"integer": gettext_lazy("integer"), "decimal": gettext_lazy("decimal number"),
               "boolean": gettext_lazy("yes/no"), "date": gettext_lazy("date"),
               "datetime": gettext_lazy("date and time"), "text": gettext_lazy("text")}  # fmt: skip
LATITUDE_NAMES = {"lat", "latitude", "breite", "breitengrad", "y"}
LONGITUDE_NAMES = {"lon", "lng", "long", "longitude", "laenge", "länge", "laengengrad", "längengrad", "x"}


@dataclass
class Column:
    name: str
    type: str


@dataclass
class Table:
    """What the portal keeps about a checked file."""

    format: str
    encoding: str = ""
    delimiter: str = ""
    columns: list[Column] = field(default_factory=list)
    row_count: int = 0
    preview: list[list[str]] = field(default_factory=list)
    points: list[list[Any]] = field(default_factory=list)  # [lat, lon, label]


def refused(line: int, reason: str, code: str = "malformed") -> ValidationError:
    """The one error every refusal raises: "Line 7: …"."""
    return ValidationError(
        _("The file cannot be published. Line %(line)s: %(reason)s Please correct the file and upload it again."),
        code=code,
        params={"line": line, "reason": reason},
    )


def _decode(content: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), else Windows-1252 (common in German offices)."""
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return content.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            line = content[: utf8_error.start].count(b"\n") + 1
            raise refused(
                line, _("the text is neither UTF-8 nor Windows-1252 encoded. Save it as UTF-8."), "encoding"
            ) from utf8_error


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
        best = max(counts, key=lambda key: counts[key])
        return best if counts[best] else ","


class _TypeTracker:
    """Narrows each column's type as values arrive; remembers where a type was first contradicted."""

    def __init__(self, names: Sequence[str], expected: dict[str, str] | None) -> None:
        self.names = list(names)
        self.candidates: list[list[str]] = [list(TYPES[:-1]) for _ in names]
        self.expected = expected or {}
        self.seen = [False] * len(names)

    def add(self, line: int, row: Sequence[Any]) -> None:
        for index, raw in enumerate(row):
            value = raw.strip() if isinstance(raw, str) else raw
            if value in ("", None):
                continue
            self.seen[index] = True
            candidates = self.candidates[index]
            if not candidates:
                continue
            text = value if isinstance(value, str) else _typed_text(value)
            self.candidates[index] = [kind for kind in candidates if _PATTERNS[kind].match(text)]
            expected = self.expected.get(self.names[index])
            if expected and expected != "text" and expected not in self.candidates[index]:
                raise refused(
                    line,
                    _(
                        "the value “%(value)s” in column “%(column)s” is not of type %(type)s, "
                        "as in the previous version of this file."
                    )
                    % {"value": str(text)[:60], "column": self.names[index], "type": TYPE_LABELS[expected]},
                    "type_mismatch",
                )

    def columns(self) -> list[Column]:
        return [
            Column(name, candidates[0] if (candidates and seen) else "text")
            for name, candidates, seen in zip(self.names, self.candidates, self.seen, strict=True)
        ]


def _typed_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _coordinate_columns(names: Sequence[str]) -> tuple[int, int] | None:
    lowered = [name.strip().lower() for name in names]
    lat = next((i for i, name in enumerate(lowered) if name in LATITUDE_NAMES), None)
    lon = next((i for i, name in enumerate(lowered) if name in LONGITUDE_NAMES), None)
    return (lat, lon) if lat is not None and lon is not None else None


def _point(row: Sequence[Any], where: tuple[int, int], label: str) -> list[Any] | None:
    lat, lon = _number(row[where[0]]), _number(row[where[1]])
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [lat, lon, label]


def _check_header(names: Sequence[Any], line: int = 1) -> list[str]:
    header = [str(name).strip() if name is not None else "" for name in names]
    if not header or all(not name for name in header):
        raise refused(line, _("the first line must name the columns."), "no_header")
    for position, name in enumerate(header, start=1):
        if not name:
            raise refused(line, _("column %(position)s has no name.") % {"position": position}, "no_header")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise refused(line, _("the column name “%(name)s” appears twice.") % {"name": duplicates[0]}, "no_header")
    return header


def _tabulate(
    fmt: str, rows: Iterable[tuple[int, Sequence[Any]]], header: list[str], expected: dict[str, str] | None
) -> Table:
    """Count, type and preview rows that all have the header's width."""
    table = Table(format=fmt)
    tracker = _TypeTracker(header, expected)
    where = _coordinate_columns(header)
    width = len(header)
    for line, row in rows:
        if len(row) != width:
            raise refused(
                line,
                _("expected %(expected)s fields as in the header, found %(found)s.")
                % {"expected": width, "found": len(row)},
                "wrong_width",
            )
        tracker.add(line, row)
        table.row_count += 1
        if len(table.preview) < PREVIEW_ROWS:
            table.preview.append(["" if value is None else _typed_text(value) for value in row])
        if where and len(table.points) < MAX_POINTS:
            point = _point(row, where, str(row[0]))
            if point:
                table.points.append(point)
    if table.row_count == 0:
        raise refused(2, _("the file has a header but no data rows."), "empty")
    table.columns = tracker.columns()
    return table


def parse_csv(content: bytes, expected: dict[str, str] | None = None) -> Table:
    text, encoding = _decode(content)
    if "\x00" in text:
        raise refused(text[: text.index("\x00")].count("\n") + 1, _("the file contains binary data."), "binary")
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header_row = next(reader, None)
        if header_row is None:
            raise refused(1, _("the file is empty."), "empty")
        header = _check_header(header_row)

        def rows() -> Iterable[tuple[int, Sequence[Any]]]:
            for row in reader:
                if row:
                    yield reader.line_num, row

        table = _tabulate("csv", rows(), header, expected)
    except csv.Error as error:
        raise refused(reader.line_num, _("the line is not valid CSV (%(reason)s).") % {"reason": error}) from error
    table.encoding, table.delimiter = encoding, delimiter
    return table


def _json(content: bytes) -> Any:
    text, _encoding = _decode(content)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise refused(error.lineno, _("the file is not valid JSON (%(reason)s).") % {"reason": error.msg}) from error


def _flat_records(records: list[Any], fmt: str) -> Table | None:
    """Rows of a list of flat JSON objects (keys of the first object are the columns); None otherwise."""
    if not records or not all(isinstance(record, dict) for record in records):
        return None
    header = [str(key) for key in records[0]]
    if not header:
        return None
    for index, record in enumerate(records, start=1):
        if list(record) != header:
            raise refused(
                index, _("record %(number)s has other fields than the first record.") % {"number": index}, "wrong_width"
            )
    rows = (
        (index, ["" if value is None else json.dumps(value) if isinstance(value, (dict, list)) else value
                 for value in record.values()])
        for index, record in enumerate(records, start=1)
    )  # fmt: skip
    return _tabulate(fmt, rows, header, None)


def parse_json(content: bytes, expected: dict[str, str] | None = None) -> Table:
    data = _json(content)
    table = _flat_records(data, "json") if isinstance(data, list) else None
    if table is None:
        table = Table(format="json", row_count=len(data) if isinstance(data, list) else 1)
    table.encoding = "utf-8"
    return table


def parse_geojson(content: bytes, expected: dict[str, str] | None = None) -> Table:
    data = _json(content)
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise refused(1, _("GeoJSON must be a FeatureCollection or a Feature."), "not_geojson")
    features = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if not isinstance(features, list):
        raise refused(1, _("the FeatureCollection has no list of features."), "not_geojson")
    names: list[str] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise refused(1, _("feature %(number)s is not a GeoJSON Feature.") % {"number": number}, "not_geojson")
        for key in feature.get("properties") or {}:
            if key not in names:
                names.append(str(key))
    table = Table(format="geojson", encoding="utf-8", row_count=len(features))
    tracker = _TypeTracker(names, None)
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        row = [properties.get(name) for name in names]
        row = [json.dumps(value) if isinstance(value, (dict, list)) else value for value in row]
        tracker.add(number, row)
        if len(table.preview) < PREVIEW_ROWS:
            table.preview.append(["" if value is None else _typed_text(value) for value in row])
        point = _first_position((feature.get("geometry") or {}).get("coordinates"))
        if point and len(table.points) < MAX_POINTS:
            label = str(row[0]) if row and row[0] is not None else str(number)
            table.points.append([point[1], point[0], label])
    table.columns = tracker.columns()
    return table


def _first_position(coordinates: Any) -> tuple[float, float] | None:
    """The first [lon, lat] of any geometry's coordinates (a point for the map's marker)."""
    while isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        lon, lat = _number(coordinates[0]), _number(coordinates[1])
        if lon is not None and lat is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
            return lon, lat
    return None


def parse_xlsx(content: bytes, expected: dict[str, str] | None = None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise refused(1, _("the file is not an Excel workbook (XLSX)."), "not_xlsx") from error
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_row = next(values, None)
        if header_row is None:
            raise refused(1, _("the first sheet is empty."), "empty")
        while header_row and header_row[-1] is None:  # Excel pads rows with empty cells
            header_row = header_row[:-1]
        header = _check_header(header_row)

        def rows() -> Iterable[tuple[int, Sequence[Any]]]:
            for line, row in enumerate(values, start=2):
                cells = list(row)
                while len(cells) > len(header) and cells[-1] is None:
                    cells.pop()
                if any(cell is not None for cell in cells):
                    yield line, cells + [None] * (len(header) - len(cells))

        return _tabulate("xlsx", rows(), header, expected)
    finally:
        workbook.close()


PARSERS = {"csv": parse_csv, "json": parse_json, "geojson": parse_geojson, "xlsx": parse_xlsx}


def describe(fmt: str, content: bytes, expected: dict[str, str] | None = None) -> Table:
    """Check ``content`` as ``fmt`` and describe it; ``expected`` column types (of the previous version) must hold."""
    return PARSERS[fmt](content, expected)
