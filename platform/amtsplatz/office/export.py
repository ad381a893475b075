"""Export a municipality (pg_dump of its schema + its media) to S3 as one archive, and restore one.

Archive (tar.gz): ``manifest.json`` (municipality, schema, SHA-256 of every member), ``schema.sql``
(plain pg_dump of the schema) and ``media/<storage alias>/<path>``. A restore checks every checksum,
renames the schema in the dump's statements (never inside COPY data), loads it with psql in one
transaction and registers the new municipality; a failure drops what was loaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import boto3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from wagtail.models import Site

from amtsplatz.office.audit import office_action_record
from amtsplatz.office.models import MunicipalityExport, OfficeAction
from amtsplatz.office.services import Actor
from tenants.models import Domain, Municipality
from tenants.services import municipality_validate

STORAGE_ALIASES = ("default", "private")
FORMAT_VERSION = 1


def _s3() -> Any:
    return boto3.client(
        "s3",
        endpoint_url=settings.AMTSPLATZ_EXPORT_S3_ENDPOINT_URL or None,
        region_name=settings.AMTSPLATZ_EXPORT_S3_REGION or None,
    )


def _libpq_env() -> dict[str, str]:
    """Connection settings of Django's database for pg_dump and psql (no password on a command line)."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _walk(storage: Storage, folder: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names.extend(_walk(storage, f"{folder}{sub}/"))
    return names


def municipality_export(*, municipality: Municipality, actor: Actor) -> MunicipalityExport:
    """Dump the schema and copy the media of ``municipality`` into one archive on S3."""
    schema = municipality.schema_name
    dump = subprocess.run(
        ["pg_dump", "--schema", schema, "--no-owner", "--no-privileges", "--format", "plain"],
        env=_libpq_env(),
        capture_output=True,
        check=True,
    ).stdout
    members: dict[str, bytes] = {"schema.sql": dump}
    with schema_context(schema):
        for alias in STORAGE_ALIASES:
            storage = storages[alias]
            for name in _walk(storage):
                with storage.open(name, "rb") as handle:
                    members[f"media/{alias}/{name}"] = handle.read()
    manifest = {
        "format": FORMAT_VERSION,
        "created": timezone.now().isoformat(),
        "schema": schema,
        "municipality": {"name": municipality.name, "slug": municipality.slug, "ags": municipality.ags},
        "files": {name: _sha256(data) for name, data in sorted(members.items())},
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in [("manifest.json", json.dumps(manifest, indent=2).encode()), *sorted(members.items())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    body = buffer.getvalue()
    digest = _sha256(body)
    key = f"exports/{municipality.slug}/{timezone.now():%Y%m%dT%H%M%S}-{digest[:12]}.tar.gz"
    bucket = settings.AMTSPLATZ_EXPORT_BUCKET
    _s3().put_object(Bucket=bucket, Key=key, Body=body, Metadata={"sha256": digest})
    with transaction.atomic():
        export = MunicipalityExport.objects.create(
            municipality=municipality,
            municipality_slug=municipality.slug,
            bucket=bucket,
            key=key,
            sha256=digest,
            size=len(body),
            manifest=manifest,
        )
        office_action_record(
            kind=OfficeAction.Kind.EXPORT, actor=actor, municipality=municipality, key=key, sha256=digest
        )
    return export


def _read_archive(export: MunicipalityExport) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Download and check the archive: its own checksum and every member's against the manifest."""
    body = _s3().get_object(Bucket=export.bucket, Key=export.key)["Body"].read()
    if _sha256(body) != export.sha256:
        raise ValidationError(_("The export archive is damaged: its checksum does not match."))
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        for info in archive.getmembers():
            handle = archive.extractfile(info)
            if handle is not None:
                members[info.name] = handle.read()
    manifest = json.loads(members.pop("manifest.json"))
    if {name: _sha256(data) for name, data in members.items()} != manifest["files"]:
        raise ValidationError(_("The export archive is damaged: a file does not match its checksum."))
    return manifest, members


def rename_schema_in_dump(sql: str, old: str, new: str) -> str:
    """Point every statement of a plain pg_dump at schema ``new``; rows inside COPY blocks stay untouched."""
    qualified = re.compile(rf'(?<![\w."]){re.escape(old)}\.|"{re.escape(old)}"\.')
    lines, in_copy = [], False
    for line in sql.splitlines(keepends=True):
        if in_copy:
            in_copy = line != "\\.\n"
        else:
            if line.startswith("COPY "):
                in_copy = True
            if line.strip() in (f"CREATE SCHEMA {old};", f'CREATE SCHEMA "{old}";'):
                line = f"CREATE SCHEMA {new};\n"
            line = qualified.sub(f"{new}.", line)
        lines.append(line)
    return "".join(lines)


def municipality_restore(
    *, export: MunicipalityExport, name: str, slug: str, domain: str, ags: str, state: str, actor: Actor
) -> Municipality:
    """Load an export into a new municipality (new slug, schema and domain); all or nothing."""
    municipality = municipality_validate(name=name, slug=slug, domain=domain, ags=ags, state=state)
    manifest, members = _read_archive(export)
    sql = rename_schema_in_dump(members["schema.sql"].decode(), manifest["schema"], municipality.schema_name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.sql"
        path.write_text(sql, encoding="utf-8")
        subprocess.run(
            ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", str(path)],
            env=_libpq_env(),
            capture_output=True,
            check=True,
        )
    try:
        with transaction.atomic():
            municipality.save()
            Domain.objects.create(domain=domain, tenant=municipality, is_primary=True)
            with schema_context(municipality.schema_name):
                Site.objects.filter(is_default_site=True).update(hostname=domain, port=settings.PORTAL_PORT)
                for member, data in members.items():
                    if member.startswith("media/"):
                        _prefix, alias, file_name = member.split("/", 2)
                        storages[alias].save(file_name, ContentFile(data))
            office_action_record(
                kind=OfficeAction.Kind.RESTORE, actor=actor, municipality=municipality, source=export.key
            )
    except Exception:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{municipality.schema_name}" CASCADE')
        raise
    return municipality
