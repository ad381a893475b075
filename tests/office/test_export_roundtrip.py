"""Export → restore round trip: pg_dump/psql and S3 (moto server) against the test database.

pg_dump and psql open their own connections, so the municipality to export is created and committed
in a module fixture (like the session municipalities of tests/conftest.py) and dropped at the end,
together with the schema the restore loads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context, schema_exists

from amtsplatz.office import export as export_module
from amtsplatz.office.export import (
    STORAGE_ALIASES,
    ExportError,
    _walk,
    export_request,
    export_run,
    municipality_restore,
)
from amtsplatz.office.models import MunicipalityExport, OfficeAction
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

SOURCE, TARGET = "exportquelle", "exportziel"
FILES = {
    "default": {"bilder/wappen.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"},
    "private": {"antraege/2026/anlage.pdf": b"%PDF-1.4 exportquelle.localhost\n" + bytes(range(256))},
}


def _drop(slug: str) -> None:
    from tenants.services import municipality_delete

    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is not None:
        municipality_delete(municipality)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')


@pytest.fixture(scope="module")
def exportquelle(django_db_setup: None, django_db_blocker: Any) -> Iterator[Municipality]:
    """A committed municipality with rows and files of both storages; both schemas dropped afterwards."""
    from tenants.services import municipality_create

    with django_db_blocker.unblock():
        for slug in (SOURCE, TARGET):  # leftovers of an interrupted run (--reuse-db)
            _drop(slug)
        municipality = municipality_create(
            name="Stadt Exportquelle",
            slug=SOURCE,
            domain="exportquelle.localhost",
            ags="14522080",
            state="14",
            admin_email="it@exportquelle.example",
            admin_password="Exportquelle-Passwort-1",
        ).municipality
        with schema_context(SOURCE):
            # Text that names the schema inside COPY data must survive the rename unchanged.
            get_user_model().objects.update(first_name="exportquelle.localhost")
            for alias, files in FILES.items():
                for name, data in files.items():
                    storages[alias].save(name, ContentFile(data))
    yield municipality
    with django_db_blocker.unblock():
        for slug in (SOURCE, TARGET):
            _drop(slug)


@pytest.fixture
def export_bucket(s3_server: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.AMTSPLATZ_EXPORT_S3_ENDPOINT_URL = s3_server
    settings.AMTSPLATZ_EXPORT_S3_REGION = "us-east-1"
    settings.AMTSPLATZ_EXPORT_BUCKET = "exports-roundtrip"
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    s3.create_bucket(Bucket=settings.AMTSPLATZ_EXPORT_BUCKET)
    return str(settings.AMTSPLATZ_EXPORT_BUCKET)


def _rows(schema: str) -> dict[str, list[str]]:
    """Every row of every table of ``schema`` as sorted JSON text; the site's host, port and name left out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            [schema],
        )
        tables = sorted(name for (name,) in cursor.fetchall())
        rows = {}
        for table in tables:
            cursor.execute(
                f'SELECT (to_jsonb(t) - %s::text[])::text FROM "{schema}"."{table}" AS t',
                [["hostname", "port", "site_name"] if table == "wagtailcore_site" else []],
            )
            rows[table] = sorted(text for (text,) in cursor.fetchall())
    return rows


def _sequences(schema: str) -> dict[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s", [schema])
        return dict(cursor.fetchall())


def _checksums(schema: str) -> dict[str, str]:
    with schema_context(schema):
        sums = {}
        for alias in STORAGE_ALIASES:
            for name in _walk(storages[alias]):
                with storages[alias].open(name, "rb") as handle:
                    sums[f"{alias}/{name}"] = hashlib.sha256(handle.read()).hexdigest()
    return sums


def test_export_then_restore_yields_identical_rows_and_files(
    exportquelle: Municipality, export_bucket: str, s3_server: str
) -> None:
    export = export_run(export_request(municipality=exportquelle, actor=None, queue=False).pk)
    assert export.status == MunicipalityExport.Status.DONE, export.error
    stored = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1").get_object(
        Bucket=export_bucket, Key=export.key
    )
    assert hashlib.sha256(stored["Body"].read()).hexdigest() == export.sha256
    assert set(export.manifest["files"]) == {
        "schema.sql",
        "media/default/bilder/wappen.svg",
        "media/private/antraege/2026/anlage.pdf",
    }

    restored = municipality_restore(
        export=export,
        name="Stadt Exportziel",
        slug=TARGET,
        domain="exportziel.localhost",
        ags="14522090",
        state="14",
        actor=None,
    )

    assert schema_exists(TARGET)
    source_rows, target_rows = _rows(SOURCE), _rows(TARGET)
    assert sum(len(rows) for rows in source_rows.values()) > 100  # pages, site, branding, users, migrations …
    assert target_rows == source_rows
    assert _sequences(SOURCE)
    assert _sequences(TARGET) == _sequences(SOURCE)
    source_files = _checksums(SOURCE)
    assert set(source_files) == {"default/bilder/wappen.svg", "private/antraege/2026/anlage.pdf"}
    assert _checksums(TARGET) == source_files
    with schema_context(TARGET):
        assert get_user_model().objects.get().first_name == "exportquelle.localhost"
    assert Client(HTTP_HOST="exportziel.localhost").get("/").status_code == 200
    assert list(
        OfficeAction.objects.filter(kind__in=["export", "restore"]).values_list("kind", "municipality_slug")
    ) == [("restore", TARGET), ("export", SOURCE)]
    assert restored.schema_name == TARGET


def test_an_older_pg_dump_than_the_server_is_refused_with_a_clear_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    old.chmod(0o755)
    monkeypatch.setattr(export_module, "_client_candidates", lambda name: [str(old)])
    with pytest.raises(ExportError) as excinfo:
        export_module.pg_client("pg_dump")
    assert "9.6.24" in str(excinfo.value)
    assert "postgresql-client" in str(excinfo.value)


def test_office_exports_through_a_task_with_visible_state(
    admin_client: Client,
    gera: Municipality,
    export_bucket: str,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/office/municipalities/gera/export/")
    assert response.status_code == 302
    export = MunicipalityExport.objects.get(municipality_slug="gera")
    assert response["Location"] == f"/office/exports/{export.pk}/"
    assert export.status == MunicipalityExport.Status.DONE, export.error
    page = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "done" in page and export.sha256 in page and f"/office/exports/{export.pk}/restore/" in page
    assert OfficeAction.objects.get(kind="export").actor_name == "office@office.example"


def test_failed_export_shows_the_reason(
    admin_client: Client, gera: Municipality, export_bucket: str, settings: Any
) -> None:
    settings.AMTSPLATZ_EXPORT_BUCKET = "no-such-bucket"
    export = export_request(municipality=gera, actor=None, queue=False)
    export_run(export.pk)
    export.refresh_from_db()
    assert export.status == MunicipalityExport.Status.FAILED and "NoSuchBucket" in export.error
    page = admin_client.get(f"/office/exports/{export.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No archive was stored" in page and "NoSuchBucket" in page
    assert OfficeAction.objects.get(kind="export").succeeded is False


def test_restore_with_bad_input_is_refused_and_changes_nothing(admin_client: Client, gera: Municipality) -> None:
    export = MunicipalityExport.objects.create(
        municipality=gera, municipality_slug="gera", status=MunicipalityExport.Status.DONE, key="k", sha256="0"
    )
    before = Municipality.objects.count()
    response = admin_client.post(
        f"/office/exports/{export.pk}/restore/",
        {"name": "Stadt Gera", "slug": "wurzen", "domain": "gera.localhost", "ags": "16052000", "state": "16"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "gera.localhost is already in use" in html
    assert Municipality.objects.count() == before and not OfficeAction.objects.filter(kind="restore").exists()


def test_delete_only_after_an_export_and_with_the_short_name_typed(
    admin_client: Client, office_user_in: Any, wurzen: Municipality
) -> None:
    from tenants.services import municipality_create

    municipality_create(
        name="Stadt Loeschbar",
        slug="loeschbar",
        domain="loeschbar.localhost",
        ags="14522100",
        state="14",
        admin_email="it@loeschbar.example",
    )
    url = "/office/municipalities/loeschbar/delete/"
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "no finished export" in page.content.decode()
    refused = admin_client.post(url, {"confirm": "loeschbar"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "Export Stadt Loeschbar first" in refused.content.decode()
    assert schema_exists("loeschbar")

    MunicipalityExport.objects.create(
        municipality=Municipality.objects.get(slug="loeschbar"),
        municipality_slug="loeschbar",
        status=MunicipalityExport.Status.DONE,
        key="exports/loeschbar/a.tar.gz",
    )
    mistyped = admin_client.post(url, {"confirm": "loeschba"}, HTTP_ACCEPT_LANGUAGE="en")
    assert mistyped.status_code == 400 and "Type the short name loeschbar" in mistyped.content.decode()
    assert schema_exists("loeschbar")

    billing = Client(HTTP_HOST="localhost")
    billing.force_login(office_user_in("Billing"))
    assert billing.post(url, {"confirm": "loeschbar"}).status_code == 403
    assert billing.post("/office/municipalities/wurzen/export/").status_code == 403

    assert admin_client.post(url, {"confirm": "loeschbar"}).status_code == 302
    assert not schema_exists("loeschbar") and not Municipality.objects.filter(slug="loeschbar").exists()
    entry = OfficeAction.objects.get(kind="delete")
    assert (entry.municipality_slug, entry.municipality, entry.detail["export"]) == (
        "loeschbar",
        None,
        "exports/loeschbar/a.tar.gz",
    )
    assert MunicipalityExport.objects.get(municipality_slug="loeschbar").municipality is None
