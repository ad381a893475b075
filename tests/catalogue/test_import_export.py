"""Import is validated up front, all or nothing, and idempotent; export round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from services_catalog.exchange import export_document
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.selectors import catalogue_export
from tests.catalogue.factories import service_document

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, documents: list[dict[str, object]]) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(export_document(documents)), encoding="utf-8")
    return path


def test_import_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    path = _write(tmp_path, [service_document("dienst-a"), service_document("dienst-b")])
    call_command("import_catalogue", str(path))
    assert ServiceVersion.objects.count() == 2
    call_command("import_catalogue", str(path))
    assert ServiceVersion.objects.count() == 2

    changed = service_document("dienst-b", name={"de": "Dienst B neu", "en": ""})
    call_command("import_catalogue", str(_write(tmp_path, [service_document("dienst-a"), changed])))
    assert list(ServiceDefinition.objects.get(key="dienst-b").versions.values_list("number", flat=True)) == [2, 1]
    assert ServiceDefinition.objects.get(key="dienst-a").versions.count() == 1


def test_one_invalid_entry_imports_nothing_and_names_entry_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = service_document("dienst-kaputt")
    broken["form_schema"]["groups"][0]["fields"][1]["type"] = "ganzzahl"
    path = _write(tmp_path, [service_document("dienst-a"), broken])
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path))
    assert "services[1] (dienst-kaputt).form_schema.groups[0].fields[1].type" in capsys.readouterr().err
    assert not ServiceDefinition.objects.exists()


def test_not_json_and_wrong_format_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.json"
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(CommandError, match=r"(Zeile|line) 1, (Spalte|column) 12"):
        call_command("import_catalogue", str(path))
    path.write_text('{"services": []}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(path))


def test_export_round_trips_through_import(tmp_path: Path) -> None:
    call_command("import_catalogue", str(_write(tmp_path, [service_document("dienst-a")])))
    exported = tmp_path / "export.json"
    call_command("export_catalogue", "--output", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document == catalogue_export()
    assert document["services"][0]["key"] == "dienst-a"
    assert document["services"][0]["form_schema"] == service_document("dienst-a")["form_schema"]
    call_command("import_catalogue", str(exported))
    assert ServiceVersion.objects.count() == 1


def test_a_folder_of_topic_files_imports_together_and_reports_keys_in_two_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(export_document([service_document("dienst-a")])), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps(export_document([service_document("dienst-b")])), encoding="utf-8")
    call_command("import_catalogue", str(folder))
    assert sorted(ServiceDefinition.objects.values_list("key", flat=True)) == ["dienst-a", "dienst-b"]
    call_command("import_catalogue", str(folder))
    assert ServiceVersion.objects.count() == 2

    (folder / "c.json").write_text(
        json.dumps(export_document([service_document("dienst-a", name={"de": "Doppelt", "en": ""})])),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(folder))
    assert "(dienst-a).key" in capsys.readouterr().err
    assert ServiceDefinition.objects.get(key="dienst-a").name_de == "Testparkausweis"


def test_a_broken_file_in_a_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "gut.json").write_text(json.dumps(export_document([service_document("dienst-a")])), encoding="utf-8")
    (tmp_path / "kaputt.json").write_text('{"format": "amtsplatz-catalogue", ', encoding="utf-8")
    with pytest.raises(CommandError, match=r"kaputt\.json"):
        call_command("import_catalogue", str(tmp_path))
    assert not ServiceDefinition.objects.exists()
