"""Demo data sets for ``seed_demo``: a tree register with a map, a budget table and a live parking series."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opendata import services
from opendata.models import Dataset, SeriesPoint

# Places near each demo town's centre (public coordinates of the market squares, rounded).
CENTRES = {"gera": (50.8806, 12.0823), "wurzen": (51.3700, 12.7390), "augustusburg": (50.8120, 13.1010)}
SPECIES = ("Linde", "Ahorn", "Eiche", "Platane", "Birke", "Kastanie")


def _trees_csv(slug: str) -> bytes:
    lat, lon = CENTRES.get(slug, (51.0, 12.0))
    lines = ["Baumnummer;Art;Höhe_m;Pflanzjahr;lat;lon"]
    for index in range(12):
        lines.append(
            f"B-{index + 1:03d};{SPECIES[index % 6]};{8 + index * 1.5:.1f}".replace(".", ",")
            + f";{1950 + index * 5};{lat + (index % 4) * 0.0012:.5f};{lon + (index // 4) * 0.0015:.5f}"
        )
    return ("\n".join(lines) + "\n").encode()


BUDGET_CSV = (
    b"Bereich,Ansatz_2026_EUR\nSchulen,4200000\nStrassen,3100000\nKultur,950000\nFeuerwehr,1800000\nSoziales,5200000\n"
)


def opendata_demo_ensure(name: str, slug: str) -> None:
    """Create the demo data sets of one municipality (in its active schema) unless they exist."""
    if Dataset.objects.exists():
        return
    common = {"contact_name": "Open-Data-Team", "contact_email": f"opendata@{slug}.example", "is_published": True}
    trees = services.dataset_save(dataset=Dataset(
        slug="strassenbaeume", title=f"Straßenbäume {name}", theme="ENVI", frequency="ANNUAL",
        description="Baumkataster der Straßenbäume mit Art, Höhe, Pflanzjahr und Standort.",
        keywords=["Bäume", "Umwelt", "Stadtgrün"], licence="dl-by-de/2.0", temporal_start=date(2026, 1, 1), **common,
    ))  # fmt: skip
    services.distribution_file_add(
        dataset=trees, title="Baumkataster (CSV)", upload=SimpleUploadedFile("baeume.csv", _trees_csv(slug)),
        uploaded_by="demo",
    )  # fmt: skip
    budget = services.dataset_save(dataset=Dataset(
        slug="haushalt-2026", title=f"Haushaltsansätze 2026 {name}", theme="ECON", frequency="ANNUAL",
        description="Ansätze des Haushaltsplans 2026 nach Bereichen, in Euro.", keywords=["Haushalt", "Finanzen"],
        licence="dl-zero-de/2.0", **common,
    ))  # fmt: skip
    services.distribution_file_add(
        dataset=budget, title="Haushaltsansätze (CSV)", upload=SimpleUploadedFile("haushalt.csv", BUDGET_CSV),
        uploaded_by="demo",
    )  # fmt: skip
    parking = services.dataset_save(dataset=Dataset(
        slug="parkhaus-belegung", title=f"Freie Parkplätze im Parkhaus am Markt ({name})", theme="TRAN",
        frequency="CONT", description="Freie Stellplätze, laufend vom Zählsystem gemeldet.",
        keywords=["Parken", "Verkehr"], licence="cc-by/4.0", is_timeseries=True, series_fields=["frei"], **common,
    ))  # fmt: skip
    now = timezone.now().replace(second=0, microsecond=0)
    SeriesPoint.objects.bulk_create(
        SeriesPoint(
            dataset=parking, observed_at=now - timedelta(minutes=15 * step), values={"frei": 40 + (step * 7) % 35}
        )
        for step in range(12)
    )
