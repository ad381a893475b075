"""Open data: the platform catalogue over many municipalities, and checking a 50 MB CSV.

.venv/bin/python -m bench.opendata [--tenants 1000] [--datasets 10] [--real 10] [--csv-mb 50]

The fleet is built cheaply: ``--real`` municipalities are real clones with ``--datasets`` data sets each
(their schemas are read to measure the cold path); the others are municipality rows in ``public`` whose
catalogue records are put into the cache as a change would (each a copy of a real municipality's records
under its own name, host and AGS), since the platform host reads only those records (ADR 0062). Measured:
reading the real schemas (cold, per municipality), serialising the whole catalogue after a change, and
answering from the cache (goal: < 1 s).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import time

from bench.harness import django_ready
from bench.report import record

DATABASE = "amtsplatz_bench_opendata"
REAL_PREFIX = "od-real-"
ROW_PREFIX = "od-row-"


def _real_fleet(count: int, datasets: int) -> list[object]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context

    from opendata import services
    from opendata.models import Dataset
    from tenants.models import Municipality
    from tenants.services import municipality_create

    fleet = []
    for index in range(1, count + 1):
        slug = f"{REAL_PREFIX}{index:03d}"
        town = Municipality.objects.filter(slug=slug).first()
        if town is None:
            town = municipality_create(
                name=f"Datenstadt {index:03d}", slug=slug, domain=f"{slug}.bench.localhost", ags=f"13{index:06d}",
                state="13", admin_email=f"it@{slug}.example",
            ).municipality  # fmt: skip
        with schema_context(town.schema_name):
            for number in range(Dataset.objects.count(), datasets):
                dataset = services.dataset_save(dataset=Dataset(
                    slug=f"daten-{number:02d}", title=f"Datensatz {number} der Datenstadt {index}", theme="GOVE",
                    description="Ein Datensatz für den Benchmark.", keywords=["Benchmark", f"Thema {number % 4}"],
                    contact_name="Open-Data-Team", contact_email=f"daten@{slug}.example", frequency="MONTHLY",
                    is_published=True,
                ))  # fmt: skip
                services.distribution_file_add(
                    dataset=dataset, title="Tabelle", uploaded_by="bench",
                    upload=SimpleUploadedFile("t.csv", b"Jahr,Wert\n2025,1\n2026,2\n"),
                )  # fmt: skip
        fleet.append(town)
        print(f"  real municipality {index}/{count} ready", flush=True)
    return fleet


def _row_fleet_remove() -> None:
    """The rows without a schema must not outlive the run (``migrate_all`` refuses municipalities without one)."""
    from tenants.models import Domain, Municipality

    Domain.objects.filter(tenant__slug__startswith=ROW_PREFIX).delete()
    Municipality.objects.filter(slug__startswith=ROW_PREFIX).delete()


def _row_fleet(count: int, template: list[dict[str, object]]) -> int:
    """Municipality rows (no schema) with their records in the cache, as a change in each would leave them."""
    from django.core.cache import caches

    from opendata.catalogue import _RECORDS_KEY
    from tenants.models import Domain, Municipality

    existing = set(Municipality.objects.filter(slug__startswith=ROW_PREFIX).values_list("slug", flat=True))
    new = []
    for index in range(1, count + 1):
        slug = f"{ROW_PREFIX}{index:04d}"
        if slug not in existing:
            new.append(Municipality(schema_name=slug.replace("-", "_"), name=f"Datengemeinde {index:04d}", slug=slug,
                                    ags=f"12{index:06d}", state="12"))  # fmt: skip
    Municipality.objects.bulk_create(new)
    Domain.objects.bulk_create(
        [Domain(domain=f"{item.slug}.bench.localhost", tenant=item, is_primary=True) for item in new]
    )
    entries = {}
    for town in Municipality.objects.filter(slug__startswith=ROW_PREFIX)[:count]:
        portal = f"http://{town.slug}.bench.localhost:8000"
        records = copy.deepcopy(template)
        for item in records:
            item["municipality"] = {"slug": town.slug, "name": town.name, "ags": town.ags, "portal": portal}
            old_portal = str(template[0]["municipality"]["portal"])  # type: ignore[index]
            item["landing_page"] = str(item["landing_page"]).replace(old_portal, portal)
            for distribution in item["distributions"]:  # type: ignore[attr-defined]
                for key in ("access_url", "download_url"):
                    distribution[key] = str(distribution[key]).replace(old_portal, portal)
        entries[_RECORDS_KEY.format(schema=town.schema_name)] = records
    caches["platform"].set_many(entries, timeout=None)
    return len(entries)


def _parse_csv(megabytes: int) -> tuple[float, int]:
    from opendata.parsing import describe

    row = "B-{0:07d};Linde;18,5;1975;2026-03-01;50.8780;12.0820;Ein Baum am Markt mit etwas Text\n"
    lines = ["Baumnummer;Art;Höhe_m;Pflanzjahr;Kontrolle;lat;lon;Bemerkung\n"]
    size = len(lines[0])
    index = 0
    while size < megabytes * 1024 * 1024:
        line = row.format(index)
        lines.append(line)
        size += len(line)
        index += 1
    content = "".join(lines).encode()
    started = time.perf_counter()
    table = describe("csv", content)
    return time.perf_counter() - started, table.row_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--datasets", type=int, default=10)
    parser.add_argument("--real", type=int, default=10)
    parser.add_argument("--csv-mb", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    django_ready(DATABASE)
    from django.core.cache import caches

    from opendata import catalogue

    print(f"checking a {args.csv_mb} MB CSV …", flush=True)
    parse_seconds, parse_rows = _parse_csv(args.csv_mb)

    real = _real_fleet(args.real, args.datasets)
    cached_keys = [catalogue._RECORDS_KEY.format(schema=town.schema_name) for town in real]  # type: ignore[attr-defined]
    caches["platform"].delete_many(cached_keys)
    catalogue.changed()
    started = time.perf_counter()
    template = catalogue.all_records(real)  # type: ignore[arg-type]
    cold = time.perf_counter() - started
    first_town = [item for item in template if item["municipality"]["slug"] == f"{REAL_PREFIX}001"]
    try:
        rows = _row_fleet(args.tenants - args.real, first_town)
        lines = _measure(args, rows, cold, parse_seconds, parse_rows)
    finally:
        _row_fleet_remove()
    for line in lines:
        print(line)
    record("opendata", f".venv/bin/python -m bench.opendata --tenants {args.tenants} --real {args.real}", lines)


def _measure(args: argparse.Namespace, rows: int, cold: float, parse_seconds: float, parse_rows: int) -> list[str]:
    from django.conf import settings

    from opendata import catalogue
    from tenants.context import portal_base_url

    base_url = portal_base_url(settings.PLATFORM_HOSTS[0])
    catalogue.changed()
    started = time.perf_counter()
    built = catalogue.platform_catalogue_build(base_url)
    rebuild = time.perf_counter() - started
    warm = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        body = catalogue.platform_catalogue(base_url, "turtle")
        warm.append((time.perf_counter() - started) * 1000)
    warm.sort()
    datasets = len(catalogue.platform_records())
    lines = [
        f"municipalities: {args.real + rows} ({args.real} real schemas with {args.datasets} own data sets each, "
        f"{rows} rows whose records are cached); data sets in the platform catalogue: {datasets} "
        "(own plus 3 generated per municipality)",
        f"cold: describing {args.real} real schemas: {cold:.2f} s "
        f"({cold / max(args.real, 1) * 1000:.0f} ms per municipality)",
        f"after a change: records → RDF → Turtle, RDF/XML, JSON-LD: {rebuild:.1f} s "
        f"(Turtle {len(built['turtle']) / 1e6:.1f} MB; done by a Celery task, not by a request)",
        f"platform catalogue from the cache: median {statistics.median(warm):.0f} ms, "
        f"p95 {warm[max(0, round(0.95 * len(warm)) - 1)]:.0f} ms for {len(body) / 1e6:.1f} MB (goal: < 1 s)",
        f"{args.csv_mb} MB CSV ({parse_rows:,} rows × 8 columns) checked and described: {parse_seconds:.1f} s",
        f"load average at the end: {', '.join(f'{value:.1f}' for value in os.getloadavg())}",
    ]
    return lines


if __name__ == "__main__":
    main()
