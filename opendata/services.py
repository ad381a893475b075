"""Writes of the open data portal: data sets, distributions and file versions, live series, tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from amtsplatz.infra.uploads import safe_name
from opendata import catalogue
from opendata.models import Dataset, Distribution, FileVersion, SeriesPoint
from opendata.parsing import Table, describe
from tenants.context import municipality_base_url
from tenants.db import current_municipality
from tenants.tasks import enqueue_on_commit

EXTENSIONS = {".csv": "csv", ".json": "json", ".geojson": "geojson", ".xlsx": "xlsx"}
MAX_SERIES_POINTS = 1000  # per request


def private_storage() -> Storage:
    """Every uploaded data file lives in the private storage: only the download view hands it out."""
    return storages["private"]


def _max_bytes() -> int:
    return int(settings.OPENDATA_MAX_UPLOAD_MB * 1024 * 1024)


def read_upload(upload: UploadedFile[bytes]) -> tuple[str, str, bytes]:
    """Name, format (by extension) and bytes of an upload, refused when too large, empty or of another kind."""
    name = safe_name(upload.name or "")
    fmt = EXTENSIONS.get(PurePosixPath(name.lower()).suffix)
    if fmt is None:
        raise ValidationError(
            _("“%(name)s” is not a CSV, JSON, GeoJSON or XLSX file. Please upload one of these formats."),
            code="wrong_type",
            params={"name": name},
        )
    limit = _max_bytes()
    too_large = ValidationError(
        _("The file “%(name)s” is larger than %(limit)s MB. Please split it or link it as an external file."),
        code="too_large",
        params={"name": name, "limit": f"{settings.OPENDATA_MAX_UPLOAD_MB:g}"},
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        if len(buffer) > limit:
            raise too_large
    if not buffer:
        raise ValidationError(_("The file “%(name)s” is empty."), code="empty", params={"name": name})
    return name, fmt, bytes(buffer)


def _version_store(
    *, distribution: Distribution, name: str, content: bytes, table: Table, uploaded_by: str
) -> FileVersion:
    number = (distribution.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    digest = hashlib.sha256(content).hexdigest()
    suffix = PurePosixPath(name).suffix.lower()
    path = f"opendata/{distribution.dataset.slug}/{distribution.pk}/v{number}-{digest[:12]}{suffix}"
    stored = private_storage().save(path, ContentFile(content))
    try:
        return FileVersion.objects.create(
            distribution=distribution,
            number=number,
            storage_name=stored,
            original_name=name,
            size=len(content),
            sha256=digest,
            encoding=table.encoding,
            delimiter=table.delimiter,
            row_count=table.row_count,
            columns=[{"name": column.name, "type": column.type} for column in table.columns],
            preview=table.preview,
            points=table.points,
            uploaded_by=uploaded_by,
        )
    except Exception:
        private_storage().delete(stored)  # no file without its row
        raise


def distribution_file_add(
    *, dataset: Dataset, title: str, upload: UploadedFile[bytes], uploaded_by: str
) -> Distribution:
    """A new distribution from an uploaded file (checked first; nothing is stored when it is refused)."""
    name, fmt, content = read_upload(upload)
    table = describe(fmt, content)
    with transaction.atomic():
        distribution = Distribution.objects.create(
            dataset=dataset, title=title or name, kind=Distribution.Kind.FILE, format=fmt
        )
        _version_store(distribution=distribution, name=name, content=content, table=table, uploaded_by=uploaded_by)
    return distribution


def file_version_add(*, distribution: Distribution, upload: UploadedFile[bytes], uploaded_by: str) -> FileVersion:
    """A new version of a file: same format, same columns with the same types; the older versions stay."""
    name, fmt, content = read_upload(upload)
    if fmt != distribution.format:
        raise ValidationError(
            _("The new version must be a %(format)s file like the previous one."),
            code="wrong_type",
            params={"format": distribution.get_format_display()},
        )
    previous = distribution.current_version()
    expected = {column["name"]: column["type"] for column in previous.columns} if previous else None
    table = describe(fmt, content, expected)
    if previous and expected and [column.name for column in table.columns] != [c["name"] for c in previous.columns]:
        raise ValidationError(
            _(
                "The columns of the new version (%(new)s) differ from the previous version (%(old)s). "
                "Upload a file with the same columns, or add it as a new distribution."
            ),
            code="columns_changed",
            params={
                "new": ", ".join(column.name for column in table.columns),
                "old": ", ".join(column["name"] for column in previous.columns),
            },
        )
    with transaction.atomic():
        version = _version_store(
            distribution=distribution, name=name, content=content, table=table, uploaded_by=uploaded_by
        )
        distribution.save(update_fields=["modified"])
    return version


@transaction.atomic
def distribution_link_add(*, dataset: Dataset, title: str, fmt: str, url: str) -> Distribution:
    distribution = Distribution(dataset=dataset, title=title, kind=Distribution.Kind.LINK, format=fmt, url=url)
    distribution.full_clean()
    distribution.save()
    return distribution


@transaction.atomic
def dataset_save(*, dataset: Dataset) -> Dataset:
    """Create or update a data set after checking it."""
    dataset.full_clean()
    dataset.save()
    return dataset


# --- Live series -------------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    # The token has 256 bits of randomness: a plain SHA-256 is as good as a slow hash here (ADR 0064).
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def series_token_issue(*, dataset: Dataset) -> str:
    """A new API token for appending to the series (shown once); the previous token stops working."""
    token = f"od_{secrets.token_urlsafe(32)}"
    dataset.token_hash = _token_hash(token)
    dataset.save(update_fields=["token_hash", "modified"])
    return token


def series_token_valid(dataset: Dataset, token: str) -> bool:
    return bool(dataset.token_hash) and hmac.compare_digest(dataset.token_hash, _token_hash(token))


def _series_point(dataset: Dataset, index: int, item: Any) -> SeriesPoint:
    def bad(reason: str) -> ValidationError:
        return ValidationError(
            _("Value %(number)s: %(reason)s"), code="invalid", params={"number": index, "reason": reason}
        )

    if not isinstance(item, dict):
        raise bad(_("each value must be an object with “observed_at” and the fields of the series."))
    observed = parse_datetime(str(item.get("observed_at", ""))) if item.get("observed_at") else None
    if not isinstance(observed, datetime) or observed.tzinfo is None:
        raise bad(_("“observed_at” must be a date and time with time zone, e.g. 2026-12-05T14:00:00+01:00."))
    values: dict[str, float] = {}
    for field in dataset.series_fields:
        value = item.get(field)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(_("“%(field)s” must be a number.") % {"field": field})
        values[field] = value
    unknown = sorted(set(item) - {"observed_at", *dataset.series_fields})
    if unknown:
        raise bad(_("unknown field “%(field)s”.") % {"field": unknown[0]})
    return SeriesPoint(dataset=dataset, observed_at=observed, values=values)


def series_append(*, dataset: Dataset, items: Sequence[Any]) -> int:
    """Append observations to a live series; all or nothing."""
    if not dataset.is_timeseries:
        raise ValidationError(_("This data set is not a live time series."), code="not_series")
    if not items or len(items) > MAX_SERIES_POINTS:
        raise ValidationError(
            _("Send between 1 and %(limit)s values per request."), code="count", params={"limit": MAX_SERIES_POINTS}
        )
    points = [_series_point(dataset, index, item) for index, item in enumerate(items, start=1)]
    with transaction.atomic():
        SeriesPoint.objects.bulk_create(points)
        Dataset.objects.filter(pk=dataset.pk).update(modified=max(point.observed_at for point in points))
    return len(points)


# --- Catalogues --------------------------------------------------------------------------------------------


def catalogue_refresh() -> None:
    """After a change in the active schema: describe its data sets again, rebuild the platform catalogue."""
    municipality = current_municipality()
    catalogue.refresh_records(municipality, municipality_base_url(municipality))
    enqueue_on_commit(
        "opendata.build_platform_catalogue", [catalogue.changed()], what="the platform open data catalogue"
    )
