"""The general responsibility level: stored per version, exchanged, validated, edited and served."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from services_catalog.exchange import export_document
from services_catalog.models import ServiceDefinition
from services_catalog.selectors import catalogue_export
from services_catalog.services import definition_save_draft, service_publish
from services_catalog.validation import validate_service
from tests.catalogue.factories import published_service, service_document

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, documents: list[dict[str, object]]) -> Path:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(export_document(documents)), encoding="utf-8")
    return path


def test_files_without_the_key_import_as_municipality(tmp_path: Path) -> None:
    document = service_document("dienst-alt")
    document.pop("responsibility_level", None)
    call_command("import_catalogue", str(_write(tmp_path, [document])))
    definition = ServiceDefinition.objects.get(key="dienst-alt")
    assert definition.latest_version is not None
    assert definition.latest_version.responsibility_level == "municipality"


def test_import_and_export_carry_the_level_and_a_change_publishes_a_version(tmp_path: Path) -> None:
    call_command("import_catalogue", str(_write(tmp_path, [service_document("kfz", responsibility_level="district")])))
    assert catalogue_export()["services"][0]["responsibility_level"] == "district"
    call_command("import_catalogue", str(_write(tmp_path, [service_document("kfz", responsibility_level="state")])))
    versions = ServiceDefinition.objects.get(key="kfz").versions.order_by("number")
    assert [v.responsibility_level for v in versions] == ["district", "state"]


def test_unknown_level_is_refused_with_path_and_allowed_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = validate_service(service_document(responsibility_level="landkreis")).messages()
    assert any(m.startswith("responsibility_level:") and "district" in m for m in messages), messages
    with pytest.raises(CommandError):
        call_command(
            "import_catalogue", str(_write(tmp_path, [service_document("kfz", responsibility_level="landkreis")]))
        )
    assert "services[0] (kfz).responsibility_level" in capsys.readouterr().err
    assert not ServiceDefinition.objects.exists()


def test_a_published_version_keeps_its_level_when_the_draft_changes() -> None:
    definition = published_service("kfz", responsibility_level="district")
    definition_save_draft(document=service_document("kfz", responsibility_level="municipality"), definition=definition)
    definition.refresh_from_db()
    assert definition.responsibility_level == "municipality"
    assert definition.latest_version is not None and definition.latest_version.responsibility_level == "district"
    version = service_publish(definition=definition)
    assert version.number == 2 and version.responsibility_level == "municipality"


def test_api_serves_the_level(platform_client: Client) -> None:
    published_service("kfz", responsibility_level="district")
    listed = {item["id"]: item for item in platform_client.get("/api/v1/services").json()}
    assert listed["kfz"]["responsibility_level"] == "district"
    detail = platform_client.get("/api/v1/services/kfz?lang=de").json()
    assert detail["responsibility_level"] == "district"
    assert detail["responsibility_level_label"]
