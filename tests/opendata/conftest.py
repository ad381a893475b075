"""Open data fixtures: data sets in Gera and Wurzen, made through the services as an editor would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from opendata import services
from opendata.models import Dataset, Distribution
from tenants.models import Municipality

TREES_CSV = (
    "Baumnummer;Art;Höhe_m;Pflanzjahr;lat;lon\n"
    "B-001;Linde;18,5;1975;50.8780;12.0820\n"
    "B-002;Ahorn;12;1990;50.8790;12.0830\n"
    "B-003;Eiche;21,25;1950;50.8800;12.0840\n"
).encode()


@pytest.fixture(autouse=True)
def fresh_catalogue_cache() -> Iterator[None]:
    """Catalogue records live in Redis and outlast a test's rolled-back transaction: forget them around each test."""
    from opendata import catalogue

    def forget() -> None:
        cache = caches["platform"]
        schemas = list(Municipality.objects.values_list("schema_name", flat=True)) if _db_ready() else []
        cache.delete_many([catalogue._RECORDS_KEY.format(schema=schema) for schema in schemas])
        cache.delete_many([catalogue._PLATFORM_KEY.format(fmt=fmt) for fmt in catalogue.FORMATS])
        cache.delete(catalogue._PLATFORM_RECORDS_KEY)
        catalogue.changed()

    forget()
    yield
    forget()


def _db_ready() -> bool:
    from django.db import connection

    try:
        connection.ensure_connection()
        return True
    except Exception:
        return False


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def make_dataset(municipality: Municipality, slug: str, *, published: bool = True, **fields: Any) -> Dataset:
    values: dict[str, Any] = {
        "title": f"Straßenbäume {municipality.name}",
        "description": "Alle Straßenbäume mit Art, Höhe und Standort.",
        "keywords": ["Bäume", "Umwelt"],
        "theme": "ENVI",
        "licence": "dl-by-de/2.0",
        "contact_name": "Grünflächenamt",
        "contact_email": f"gruen@{municipality.slug}.example",
        "frequency": "ANNUAL",
        "is_published": published,
    }
    values.update(fields)
    with schema_context(municipality.schema_name):
        return services.dataset_save(dataset=Dataset(slug=slug, **values))


def add_file(
    municipality: Municipality, dataset: Dataset, name: str = "baeume.csv", content: bytes = TREES_CSV
) -> Distribution:
    with schema_context(municipality.schema_name):
        return services.distribution_file_add(
            dataset=dataset, title="Baumkataster", upload=upload(name, content), uploaded_by="editor"
        )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run the on-commit work (catalogue refresh) of what the test does inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
