"""Uploaded data files: checked (line and reason when refused), described, versioned, never public while private."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_context

from opendata import services
from opendata.parsing import describe
from tests.opendata.conftest import TREES_CSV, add_file, make_dataset, upload


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages below are checked in English (the German ones in their own test)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _refusal(fmt: str, content: bytes, expected: dict[str, str] | None = None) -> str:
    with pytest.raises(ValidationError) as caught:
        describe(fmt, content, expected)
    return " ".join(caught.value.messages)


def test_a_csv_row_of_the_wrong_width_is_refused_with_its_line() -> None:
    message = _refusal("csv", b"Name,Plaetze\nMarkt,40\nBahnhof,120,7\nPost,3\n")
    assert "Line 3" in message
    assert "expected 2 fields as in the header, found 3" in message


def test_an_unclosed_quote_is_refused_with_its_line() -> None:
    message = _refusal("csv", b'Name,Plaetze\nMarkt,40\n"Bahnhof,120\n')
    assert "Line 3" in message or "Line 4" in message
    assert "not valid CSV" in message


def test_a_file_in_an_unknown_encoding_is_refused() -> None:
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    message = _refusal("csv", b"Name,Wert\nA,1\nB\x81,2\n")
    assert "Line 3" in message
    assert "UTF-8" in message


def test_header_problems_are_named() -> None:
    assert "appears twice" in _refusal("csv", b"Name,Name\nA,B\n")
    assert "column 2 has no name" in _refusal("csv", b"Name,,Wert\nA,B,1\n")
    assert "no data rows" in _refusal("csv", b"Name,Wert\n")


def test_refusals_are_translated_to_german() -> None:
    from django.utils import translation

    with translation.override("de"):
        message = _refusal("csv", b"Name,Plaetze\nMarkt,40\nBahnhof,120,7\n")
    assert "Zeile 3" in message


def test_a_semicolon_csv_in_windows_1252_is_described() -> None:
    table = describe("csv", TREES_CSV.decode().replace("Höhe", "Höhe").encode("cp1252"))
    assert table.encoding == "windows-1252"
    assert table.delimiter == ";"
    assert table.row_count == 3
    assert [(column.name, column.type) for column in table.columns] == [
        ("Baumnummer", "text"), ("Art", "text"), ("Höhe_m", "decimal"), ("Pflanzjahr", "integer"),
        ("lat", "decimal"), ("lon", "decimal"),
    ]  # fmt: skip
    assert table.points[0] == [50.878, 12.082, "B-001"]
    assert table.preview[0][:2] == ["B-001", "Linde"]


def test_json_geojson_and_xlsx_are_described() -> None:
    from openpyxl import Workbook

    records = [{"Ort": "Markt", "Plaetze": 40}, {"Ort": "Bahnhof", "Plaetze": 120}]
    table = describe("json", json.dumps(records).encode())
    assert [(c.name, c.type) for c in table.columns] == [("Ort", "text"), ("Plaetze", "integer")]
    assert "Line 2" in _refusal("json", b'[{"a": 1},\n {"a": }]')
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"Name": "Spielplatz"},
         "geometry": {"type": "Point", "coordinates": [12.08, 50.87]}}]}  # fmt: skip
    table = describe("geojson", json.dumps(geojson).encode())
    assert table.points == [[50.87, 12.08, "Spielplatz"]]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Jahr", "Einnahmen"])
    sheet.append([2024, 1200.5])
    sheet.append([2025, 1300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = describe("xlsx", buffer.getvalue())
    assert [(c.name, c.type) for c in table.columns] == [("Jahr", "integer"), ("Einnahmen", "decimal")]
    assert "not an Excel workbook" in _refusal("xlsx", b"PK not really")


def test_a_new_version_must_keep_the_column_types() -> None:
    message = _refusal("csv", b"Name,Plaetze\nMarkt,viele\n", {"Name": "text", "Plaetze": "integer"})
    assert "Line 2" in message and "Plaetze" in message and "integer" in message


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(gera: Any) -> None:
    dataset = make_dataset(gera, "kaputt")
    with schema_context(gera.schema_name), pytest.raises(ValidationError):
        services.distribution_file_add(
            dataset=dataset, title="x", upload=upload("kaputt.csv", b"a,b\n1,2,3\n"), uploaded_by="editor"
        )
    with schema_context(gera.schema_name):
        assert not dataset.distributions.exists()
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / gera.schema_name / "opendata" / "kaputt").exists()


@pytest.mark.django_db
def test_too_large_and_unknown_files_are_refused(gera: Any, settings: Any) -> None:
    settings.OPENDATA_MAX_UPLOAD_MB = 0.0001
    dataset = make_dataset(gera, "gross")
    with schema_context(gera.schema_name):
        with pytest.raises(ValidationError, match="larger than"):
            services.distribution_file_add(dataset=dataset, title="", upload=upload("a.csv", TREES_CSV), uploaded_by="")
        with pytest.raises(ValidationError, match="not a CSV"):
            services.distribution_file_add(dataset=dataset, title="", upload=upload("a.exe", b"MZ"), uploaded_by="")


@pytest.mark.django_db
def test_new_versions_keep_history(gera: Any, gera_client: Client) -> None:
    dataset = make_dataset(gera, "baeume")
    distribution = add_file(gera, dataset)
    second = TREES_CSV + b"B-004;Birke;9;2001;50.881;12.085\n"
    with schema_context(gera.schema_name):
        services.file_version_add(distribution=distribution, upload=upload("baeume-2026.csv", second), uploaded_by="e")
        with pytest.raises(ValidationError, match="columns of the new version"):
            services.file_version_add(
                distribution=distribution, upload=upload("x.csv", b"Andere,Spalten\n1,2\n"), uploaded_by="e"
            )
    current = gera_client.get(f"/daten/baeume/dateien/{distribution.pk}/")
    first = gera_client.get(f"/daten/baeume/dateien/{distribution.pk}/v1/")
    assert b"".join(current.streaming_content).count(b"\n") == 5  # type: ignore[attr-defined]
    assert b"".join(first.streaming_content) == TREES_CSV  # type: ignore[attr-defined]
    page = gera_client.get("/daten/baeume/").content.decode()
    assert "Version 1" in page


@pytest.mark.django_db
def test_a_private_file_never_becomes_public(gera: Any, gera_client: Client, wurzen_client: Client) -> None:
    dataset = make_dataset(gera, "intern", published=False)
    distribution = add_file(gera, dataset)
    with schema_context(gera.schema_name):
        version = distribution.current_version()
        assert version is not None
        with pytest.raises(ValueError, match="no public URL"):
            services.private_storage().url(version.storage_name)
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / gera.schema_name / version.storage_name
    assert stored.exists()
    assert Path(settings.MEDIA_ROOT) not in stored.parents  # never below the publicly served media folder
    files = f"/daten/intern/dateien/{distribution.pk}/"
    for path in ("/daten/intern/", files, f"{files}v1/",
                 f"/media/{gera.schema_name}/{version.storage_name}"):  # fmt: skip
        assert gera_client.get(path).status_code == 404, path
    assert b"intern" not in gera_client.get("/daten/katalog.ttl").content
    assert gera_client.get("/api/3/action/package_show?id=intern").status_code == 404
    assert "intern" not in gera_client.get("/api/3/action/package_list").json()["result"]
    # Published, it is downloadable on its own host only; unpublished again, it is gone again.
    with schema_context(gera.schema_name):
        dataset.is_published = True
        services.dataset_save(dataset=dataset)
    assert gera_client.get(f"/daten/intern/dateien/{distribution.pk}/").status_code == 200
    assert wurzen_client.get(f"/daten/intern/dateien/{distribution.pk}/").status_code == 404
    with schema_context(gera.schema_name):
        dataset.is_published = False
        services.dataset_save(dataset=dataset)
    assert gera_client.get(f"/daten/intern/dateien/{distribution.pk}/").status_code == 404
