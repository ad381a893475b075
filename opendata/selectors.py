"""Reads of the open data portal: public data sets of the active schema, as models or as catalogue records.

A *record* is the plain description of one data set (JSON-serialisable) from which the DCAT-AP.de
catalogues and the CKAN API are built; the platform host only ever sees records, never a schema's rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation

from amtsplatz.infra.open_data import DatasetProvider, providers
from opendata.anonymity import SUPPRESSED_MARK, suppress
from opendata.models import Dataset, Distribution, FileVersion, SeriesPoint
from opendata.vocabularies import FORMATS, LICENCE_CKAN_IDS, Licence
from tenants.models import Municipality

Record = dict[str, Any]
GENERATED_PREFIX = "statistik-"


def public_datasets() -> QuerySet[Dataset]:
    """Published data sets with their distributions and file versions (one query each)."""
    return Dataset.objects.filter(is_published=True).prefetch_related(
        Prefetch("distributions", queryset=Distribution.objects.prefetch_related("versions"))
    )


def public_dataset(slug: str) -> Dataset | None:
    return public_datasets().filter(slug=slug).first()


def public_file_version(*, slug: str, distribution_id: int, number: int | None) -> FileVersion | None:
    """A file of a published data set (the current one, or an older version by number); None if not public."""
    versions = FileVersion.objects.filter(
        distribution_id=distribution_id, distribution__dataset__slug=slug, distribution__dataset__is_published=True
    )
    if number is not None:
        return versions.filter(number=number).first()
    return versions.order_by("-number").first()


def latest_points(dataset: Dataset, limit: int = 20) -> list[SeriesPoint]:
    return list(dataset.points.all()[:limit])


def generated_provider(key: str) -> DatasetProvider | None:
    if not key.startswith(GENERATED_PREFIX):
        return None
    return next((item for item in providers() if item.key == key.removeprefix(GENERATED_PREFIX)), None)


def generated_rows(provider: DatasetProvider) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of a generated data set, k-suppressed (the only way its rows leave the schema)."""
    columns = [name for name, _type in provider.columns] + [SUPPRESSED_MARK]
    return columns, suppress(provider.rows(), provider.count_columns)


def _tenant_url(name: str, **kwargs: Any) -> str:
    """A path on a municipality's host, also when the records are described from the platform host."""
    return reverse(name, kwargs=kwargs, urlconf=settings.ROOT_URLCONF)


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _publisher(dataset: Dataset, municipality: Municipality) -> str:
    return dataset.publisher_name or municipality.name


def dataset_record(dataset: Dataset, municipality: Municipality, base_url: str) -> Record:
    landing = _absolute(base_url, _tenant_url("opendata:dataset", slug=dataset.slug))
    distributions = []
    for distribution in dataset.distributions.all():
        version = distribution.current_version() if distribution.kind == Distribution.Kind.FILE else None
        if distribution.kind == Distribution.Kind.FILE and version is None:
            continue  # nothing to download yet
        download = (
            _absolute(base_url, _tenant_url("opendata:download", slug=dataset.slug, pk=distribution.pk))
            if version
            else ""
        )
        distributions.append(
            {
                "id": f"{dataset.slug}-{distribution.pk}",
                "title": distribution.title,
                "format": distribution.format,
                "access_url": download or distribution.url,
                "download_url": download,
                "size": version.size if version else None,
                "modified": (version.created if version else distribution.modified).isoformat(),
            }
        )
    if dataset.is_timeseries:
        series = _absolute(base_url, _tenant_url("opendata:series-csv", slug=dataset.slug))
        distributions.append(
            {"id": f"{dataset.slug}-series", "title": dataset.title, "format": "csv", "access_url": series,
             "download_url": series, "size": None, "modified": dataset.modified.isoformat()}
        )  # fmt: skip
    return {
        "id": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "keywords": list(dataset.keywords),
        "theme": dataset.theme,
        "licence": dataset.licence,
        "attribution": dataset.attribution or _publisher(dataset, municipality),
        "publisher": _publisher(dataset, municipality),
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "temporal": [
            dataset.temporal_start.isoformat() if dataset.temporal_start else None,
            dataset.temporal_end.isoformat() if dataset.temporal_end else None,
        ],
        "geonames": dataset.geonames_url,
        "frequency": dataset.frequency,
        "issued": dataset.created.isoformat(),
        "modified": dataset.modified.isoformat(),
        "landing_page": landing,
        "generated": False,
        "distributions": distributions,
    }


def generated_record(provider: DatasetProvider, municipality: Municipality, base_url: str) -> Record:
    key = GENERATED_PREFIX + provider.key
    urls = {
        fmt: _absolute(base_url, _tenant_url("opendata:generated-file", key=key, fmt=fmt)) for fmt in ("csv", "json")
    }
    return {
        "id": key,
        "title": str(provider.title),
        "description": str(provider.description),
        "keywords": list(provider.keywords),
        "theme": provider.theme,
        "licence": Licence.DL_ZERO.value,
        "attribution": municipality.name,
        "publisher": municipality.name,
        "contact_name": municipality.name,
        "contact_email": "",
        "temporal": [None, None],
        "geonames": "",
        "frequency": provider.frequency,
        "issued": None,
        "modified": None,
        "landing_page": _absolute(base_url, _tenant_url("opendata:dataset", slug=key)),
        "generated": True,
        "distributions": [
            {
                "id": f"{key}-{fmt}",
                "title": f"{provider.title} ({fmt.upper()})",
                "format": fmt,
                "access_url": url,
                "download_url": url,
                "size": None,
                "modified": None,
            }
            for fmt, url in urls.items()
        ],
    }


def catalogue_records(municipality: Municipality, base_url: str) -> list[Record]:
    """Every public data set of the active schema (own and generated), described for the catalogues."""
    municipal = {"slug": municipality.slug, "name": municipality.name, "ags": municipality.ags, "portal": base_url}
    with translation.override("de"):  # catalogues are German (titles tagged @de); URLs without language prefix
        records = [dataset_record(dataset, municipality, base_url) for dataset in public_datasets()]
        records += [generated_record(provider, municipality, base_url) for provider in providers()]
    for record in records:
        record["municipality"] = municipal
    return records


def search_records(
    records: list[Record],
    *,
    q: str = "",
    theme: str = "",
    keyword: str = "",
    fmt: str = "",
    organization: str = "",
) -> list[Record]:
    """Records matching a free-text query (every word in title, description or keywords) and the filters."""
    words = [word.casefold() for word in q.split()]

    def matches(record: Record) -> bool:
        text = " ".join([record["title"], record["description"], *record["keywords"]]).casefold()
        return (
            all(word in text for word in words)
            and (not theme or record["theme"] == theme)
            and (not keyword or keyword.casefold() in (item.casefold() for item in record["keywords"]))
            and (not fmt or any(item["format"] == fmt for item in record["distributions"]))
            and (not organization or record["municipality"]["slug"] == organization)
        )

    return [record for record in records if matches(record)]


def facet_values(records: list[Record]) -> dict[str, list[tuple[str, int]]]:
    """Counts of themes, keywords, formats and municipalities among ``records``, most frequent first."""
    counts: dict[str, dict[str, int]] = {"theme": {}, "keyword": {}, "format": {}, "organization": {}}
    for record in records:
        counts["theme"][record["theme"]] = counts["theme"].get(record["theme"], 0) + 1
        for keyword in record["keywords"]:
            counts["keyword"][keyword] = counts["keyword"].get(keyword, 0) + 1
        for fmt in {item["format"] for item in record["distributions"]}:
            counts["format"][fmt] = counts["format"].get(fmt, 0) + 1
        slug = record["municipality"]["slug"]
        counts["organization"][slug] = counts["organization"].get(slug, 0) + 1
    return {name: sorted(values.items(), key=lambda item: (-item[1], item[0])) for name, values in counts.items()}


def ckan_licence_id(code: str) -> str:
    return LICENCE_CKAN_IDS.get(Licence(code), code)


def media_type(fmt: str) -> str:
    return FORMATS[fmt][1]
