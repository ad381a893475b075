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
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import boto3
from django.conf import settings
from django.contrib.auth.models import User
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
from tenants.db import SCHEMA_DDL_LOCK_KEY, schema_ddl_lock
from tenants.models import Domain, Municipality
from tenants.services import municipality_delete, municipality_validate
from tenants.tasks import enqueue_on_commit

STORAGE_ALIASES = ("default", "private")
FORMAT_VERSION = 1

logger = logging.getLogger(__name__)


class ExportError(Exception):
    """An export or restore could not be done; the message says why."""


def _s3() -> Any:
    return boto3.client(
        "s3",
        endpoint_url=settings.AMTSPLATZ_EXPORT_S3_ENDPOINT_URL or None,
        region_name=settings.AMTSPLATZ_EXPORT_S3_REGION or None,
    )


def _libpq_env() -> dict[str, str]:
    """Connection settings of the database Django is connected to right now (the test database in tests).

    Read from ``connection.settings_dict`` at call time, never from DATABASE_URL; the password goes
    through the environment, never onto a command line.
    """
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGOPTIONS": "-c lock_timeout=60s"}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _major(version_output: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_output)
    return int(match.group(1)) if match else 0


def _client_candidates(name: str) -> list[str]:
    """pg_dump/psql on the PATH, then those of the embedded PostgreSQL (pgserver wheel), if installed."""
    candidates = [found] if (found := shutil.which(name)) else []
    try:
        import pgserver
    except ImportError:
        return candidates
    embedded = Path(pgserver.__file__).parent / "pginstall" / "bin" / name
    if embedded.is_file():
        candidates.append(str(embedded))
    return candidates


def pg_client(name: str) -> str:
    """The path of ``pg_dump`` or ``psql`` whose major version is at least the server's; a clear error if none."""
    server = connection.cursor().connection.info.server_version // 10000
    found: list[str] = []
    for candidate in _client_candidates(name):
        output = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False).stdout
        if _major(output) >= server:
            return candidate
        found.append(f"{candidate} ({output.strip()})")
    raise ExportError(
        _(
            "%(tool)s of PostgreSQL %(server)s or newer is needed (the server's version), found: %(found)s. "
            "Install postgresql-client %(server)s (apt-get install postgresql-client)."
        )
        % {"tool": name, "server": server, "found": ", ".join(found) or _("none")}
    )


def _run(name: str, *args: str) -> bytes:
    """Run pg_dump or psql against Django's database; a failure raises ExportError with the tool's message."""
    try:
        result = subprocess.run([pg_client(name), *args], env=_libpq_env(), capture_output=True, check=True)
    except subprocess.CalledProcessError as exc:
        raise ExportError(f"{name}: {exc.stderr.decode(errors='replace').strip()}") from exc
    return result.stdout


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


def export_request(*, municipality: Municipality, actor: Actor, queue: bool = True) -> MunicipalityExport:
    """Store an export job; with ``queue``, a worker makes the archive after the commit."""
    export = MunicipalityExport.objects.create(
        municipality=municipality,
        municipality_slug=municipality.slug,
        requested_by=actor if isinstance(actor, User) else None,
    )
    if queue:
        enqueue_on_commit("office.export", [export.pk], what=f"the export {export.pk}")
    return export


def export_run(export_id: int) -> MunicipalityExport:
    """Work off a queued export: archive to S3, then mark it done (or failed with the reason); audit-logged.

    Idempotent: an export that is not queued any more is left alone. pg_dump reads through its own
    connection, so it sees only committed data.
    """
    with transaction.atomic():
        export = MunicipalityExport.objects.select_for_update().get(pk=export_id)
        if export.status != MunicipalityExport.Status.QUEUED:
            return export
        export.status = MunicipalityExport.Status.RUNNING
        export.save(update_fields=["status"])
    municipality = export.municipality
    try:
        if municipality is None:
            raise ExportError(_("The municipality no longer exists."))
        export.bucket, export.key, export.sha256, export.size, export.manifest = _archive(municipality)
    except Exception as exc:
        logger.warning("Export %s failed", export.pk, exc_info=True)
        with transaction.atomic():
            export.status, export.error, export.finished = MunicipalityExport.Status.FAILED, str(exc), timezone.now()
            export.save(update_fields=["status", "error", "finished"])
            office_action_record(
                kind=OfficeAction.Kind.EXPORT,
                actor=export.requested_by,
                municipality=municipality,
                succeeded=False,
                slug=export.municipality_slug,
                export=export.pk,
                reason=export.error,
            )
        return export
    with transaction.atomic():
        export.status, export.finished = MunicipalityExport.Status.DONE, timezone.now()
        export.save()
        office_action_record(
            kind=OfficeAction.Kind.EXPORT,
            actor=export.requested_by,
            municipality=municipality,
            export=export.pk,
            key=export.key,
            sha256=export.sha256,
        )
    return export


def _archive(municipality: Municipality) -> tuple[str, str, str, int, dict[str, Any]]:
    """Dump the schema and copy the media into one tar.gz on S3; returns bucket, key, SHA-256, size, manifest."""
    schema = municipality.schema_name
    dump = _run("pg_dump", "--schema", schema, "--no-owner", "--no-privileges", "--format", "plain")
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
    return bucket, key, digest, len(body), manifest


def latest_export(municipality: Municipality) -> MunicipalityExport | None:
    """The newest finished export of a municipality, if any."""
    return MunicipalityExport.objects.filter(
        municipality_slug=municipality.slug, status=MunicipalityExport.Status.DONE
    ).first()


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
    """Load an export into a new municipality (new slug, schema and domain); all or nothing, audit-logged.

    Raises ValidationError for bad input and ExportError when the archive cannot be loaded.
    """
    if export.status != MunicipalityExport.Status.DONE:
        raise ValidationError(_("Only a finished export can be restored."))
    municipality = municipality_validate(name=name, slug=slug, domain=domain, ags=ags, state=state)
    schema = municipality.schema_name
    try:
        manifest, members = _read_archive(export)
        sql = rename_schema_in_dump(members["schema.sql"].decode(), manifest["schema"], schema)
        # psql runs the dump in one transaction of its own: it creates foreign keys into public like a clone.
        sql = f"SELECT pg_advisory_xact_lock_shared({SCHEMA_DDL_LOCK_KEY});\n{sql}"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "schema.sql"
            path.write_text(sql, encoding="utf-8")
            _run("psql", "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", str(path))
        with transaction.atomic():
            municipality.save()
            Domain.objects.create(domain=domain, tenant=municipality, is_primary=True)
            with schema_context(schema):
                Site.objects.filter(is_default_site=True).update(
                    hostname=domain, port=settings.PORTAL_PORT, site_name=name
                )
                for member, data in members.items():
                    if member.startswith("media/"):
                        _prefix, alias, file_name = member.split("/", 2)
                        storages[alias].save(file_name, ContentFile(data))
            office_action_record(
                kind=OfficeAction.Kind.RESTORE, actor=actor, municipality=municipality, source=export.key
            )
    except Exception as exc:
        with transaction.atomic(), connection.cursor() as cursor:
            schema_ddl_lock(exclusive=True)
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        office_action_record(
            kind=OfficeAction.Kind.RESTORE, actor=actor, succeeded=False, slug=slug, source=export.key, reason=str(exc)
        )
        raise
    return municipality


@transaction.atomic
def office_delete(*, municipality: Municipality, actor: Actor, confirm: str, without_export: bool = False) -> None:
    """Delete a municipality with its schema, only after a finished export and with its short name typed."""
    if confirm != municipality.slug:
        raise ValidationError(
            {"confirm": _("Type the short name %(slug)s to confirm the deletion.") % {"slug": municipality.slug}}
        )
    export = latest_export(municipality)
    if export is None and not without_export:
        raise ValidationError(
            _("Export %(name)s first: a municipality is deleted only after an export.") % {"name": municipality.name}
        )
    detail: dict[str, Any] = {"export": export.key if export else ""}
    if actor is None:
        detail["actor_name"] = "manage.py delete_municipality"
    office_action_record(kind=OfficeAction.Kind.DELETE, actor=actor, municipality=municipality, **detail)
    municipality_delete(municipality)
