"""Generated data sets: counts below k are suppressed; providers come from the registry, not from imports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.infra.open_data import DatasetProvider, providers, register
from opendata.anonymity import suppress


def test_counts_from_1_to_k_minus_1_are_suppressed_and_zero_stays() -> None:
    sample = [
        {"month": "2026-10", "category": "Straßenschaden", "reports": 12},
        {"month": "2026-10", "category": "Müll", "reports": 4},
        {"month": "2026-11", "category": "Müll", "reports": 1},
        {"month": "2026-11", "category": "Beleuchtung", "reports": 5},
        {"month": "2026-11", "category": "Spielplatz", "reports": 0},
    ]
    result = suppress(sample, ["reports"], k=5)
    assert [row["reports"] for row in result] == [12, None, None, 5, 0]
    assert [row["suppressed"] for row in result] == ["", "reports", "reports", "", ""]
    assert sample[1]["reports"] == 4  # the caller's rows are not changed


def test_participation_and_applications_register_their_providers() -> None:
    keys = {provider.key for provider in providers()}
    assert {"maengelmeldungen-je-monat", "ideen-je-monat", "antraege-je-leistung-und-monat"} <= keys


@pytest.fixture
def small_provider() -> Any:
    rows = [{"month": "2026-11", "group": "A", "count": 2}, {"month": "2026-11", "group": "B", "count": 9}]
    provider = DatasetProvider(
        key="zz-probe", title="Probe", description="Probe", keywords=("Probe",), theme="GOVE",
        columns=(("month", "month"), ("group", "text"), ("count", "integer")), count_columns=("count",),
        rows=lambda: rows,
    )  # fmt: skip
    register(provider)
    yield provider
    from amtsplatz.infra import open_data

    open_data._providers.pop("zz-probe")


@pytest.mark.django_db
def test_downloads_and_page_of_a_generated_data_set_are_suppressed(small_provider: Any, gera_client: Client) -> None:
    csv_body = gera_client.get("/daten/generiert/statistik-zz-probe.csv").content.decode()
    assert csv_body.splitlines() == ["month,group,count,suppressed", "2026-11,A,,count", "2026-11,B,9,"]
    data = gera_client.get("/daten/generiert/statistik-zz-probe.json").json()
    assert data[0]["count"] is None and data[1]["count"] == 9
    page = gera_client.get("/daten/statistik-zz-probe/")
    assert page.status_code == 200
    assert ">2<" not in page.content.decode()


@pytest.mark.django_db
def test_defect_reports_are_counted_per_municipality(
    gera: Any, wurzen: Any, gera_client: Client, wurzen_client: Client
) -> None:
    from participation.models import Report, ReportCategory, Space
    from participation.states import Moderation

    with schema_context(gera.schema_name):
        category = ReportCategory.objects.create(slug="licht", name_de="Beleuchtung", office_name="Amt",
                                                 office_email="amt@gera.example")  # fmt: skip
        space = Space.objects.filter(kind=Space.Kind.REPORTS).first() or Space.objects.create(
            kind=Space.Kind.REPORTS, title="Mängelmelder", slug="maengel"
        )
        for _ in range(6):
            Report.objects.create(
                space=space, category=category, description="Lampe aus", moderation=Moderation.PUBLISHED
            )
    gera_rows = gera_client.get("/daten/generiert/statistik-maengelmeldungen-je-monat.json").json()
    assert [row["reports"] for row in gera_rows if row["category"] == "Beleuchtung"] == [6]
    assert wurzen_client.get("/daten/generiert/statistik-maengelmeldungen-je-monat.json").json() == []
