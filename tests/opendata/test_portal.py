"""Pages for people, the live data API, and the CKAN API read by the ckanapi client against gunicorn."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from ckanapi import NotFound, RemoteCKAN
from django.test import Client
from django_tenants.utils import schema_context

from opendata import services
from opendata.models import Dataset
from tests.conftest import PROJECT_ROOT, child_process_env, free_port, healthz_wait
from tests.opendata.conftest import add_file, make_dataset


@pytest.mark.django_db
def test_data_page_searches_and_filters(gera: Any, gera_client: Client) -> None:
    make_dataset(gera, "baeume")
    make_dataset(gera, "haushalt", title="Haushaltsplan 2026", description="Einnahmen und Ausgaben.",
                 keywords=["Haushalt"], theme="ECON")  # fmt: skip
    make_dataset(gera, "geheim", title="Geheimer Plan", published=False)
    page = gera_client.get("/daten/").content.decode()
    assert "Straßenbäume Stadt Gera" in page and "Haushaltsplan 2026" in page and "Geheimer Plan" not in page
    found = gera_client.get("/daten/?q=haushalt").content.decode()
    assert "Haushaltsplan 2026" in found and "Straßenbäume" not in found
    assert "Straßenbäume" not in gera_client.get("/daten/?theme=ECON").content.decode()
    assert "Haushaltsplan" not in gera_client.get("/daten/?keyword=Bäume").content.decode()
    english = gera_client.get("/en/daten/").content.decode()
    assert "Open data" in english


@pytest.mark.django_db
def test_dataset_page_shows_preview_types_chart_map_downloads_and_licence(gera: Any, gera_client: Client) -> None:
    dataset = make_dataset(gera, "baeume")
    distribution = add_file(gera, dataset)
    page = gera_client.get("/daten/baeume/").content.decode()
    assert "<table" in page and "Linde" in page and "decimal number" not in page  # German by default
    assert "Dezimalzahl" in page  # the type of "Höhe_m"
    assert "<svg" in page and 'href="#od-preview-table"' in page  # the chart names its table alternative
    assert "od-points" in page and "leaflet/leaflet.js" in page  # lat/lon columns: a map
    assert f"/daten/baeume/dateien/{distribution.pk}/" in page
    assert "Datenlizenz Deutschland" in page and "Stadt Gera" in page


@pytest.mark.django_db
def test_pages_of_one_municipality_are_not_reachable_from_another(gera: Any, wurzen_client: Client) -> None:
    dataset = make_dataset(gera, "baeume")
    distribution = add_file(gera, dataset)
    assert wurzen_client.get("/daten/baeume/").status_code == 404
    assert wurzen_client.get(f"/daten/baeume/dateien/{distribution.pk}/").status_code == 404
    assert "Straßenbäume" not in wurzen_client.get("/daten/").content.decode()
    assert wurzen_client.get("/api/3/action/package_show?id=baeume").status_code == 404


@pytest.mark.django_db
def test_platform_data_page_lists_every_municipality(gera: Any, wurzen: Any, platform_client: Client) -> None:
    make_dataset(gera, "baeume")
    make_dataset(wurzen, "parkplaetze", title="Parkplätze Wurzen")
    page = platform_client.get("/daten/").content.decode()
    assert "Straßenbäume Stadt Gera" in page and "Parkplätze Wurzen" in page
    only_wurzen = platform_client.get("/daten/?organization=wurzen").content.decode()
    assert "Parkplätze Wurzen" in only_wurzen and "Straßenbäume Stadt Gera" not in only_wurzen


@pytest.mark.django_db
def test_live_series_api_needs_the_datasets_token(
    gera: Any, wurzen: Any, gera_client: Client, wurzen_client: Client
) -> None:
    dataset = make_dataset(gera, "parken-live", title="Freie Parkplätze", is_timeseries=True, series_fields=["frei"])
    other = make_dataset(gera, "andere-reihe", is_timeseries=True, series_fields=["wert"])
    with schema_context(gera.schema_name):
        token = services.series_token_issue(dataset=dataset)
        other_token = services.series_token_issue(dataset=other)
        assert token not in Dataset.objects.get(pk=dataset.pk).token_hash  # only a hash is kept
    body = {"values": [{"observed_at": "2026-12-05T14:00:00+01:00", "frei": 17},
                       {"observed_at": "2026-12-05T14:15:00+01:00", "frei": 12}]}  # fmt: skip

    def post(client: Client, value: str, payload: Any = body) -> Any:
        return client.post("/daten/api/parken-live/werte", payload, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {value}")  # fmt: skip

    assert post(gera_client, "falsch").status_code == 401
    assert post(gera_client, other_token).status_code == 401
    assert post(wurzen_client, token).status_code == 401  # no such data set on Wurzen's host
    bad = post(gera_client, token, {"values": [{"observed_at": "2026-12-05T14:00:00+01:00", "frei": "viele"}]})
    assert bad.status_code == 400 and "frei" in bad.json()["error"]
    assert post(gera_client, token).json() == {"added": 2}
    latest = gera_client.get("/daten/api/parken-live/werte").json()["latest"]
    assert [item["frei"] for item in latest] == [12, 17]
    page = gera_client.get("/daten/parken-live/").content.decode()
    assert "Letzte Werte" in page and ">12<" in page
    assert gera_client.get("/daten/parken-live/reihe.csv").content.decode().splitlines()[0] == "observed_at,frei"


# --- CKAN clients against a real server ------------------------------------------------------------------------

CKAN_HOST = "oelsnitz.localhost"


@pytest.fixture(scope="session")
def ckan_town(django_db_setup: None, django_db_blocker: Any) -> str:
    """A committed municipality with three data sets (the server runs in another process); no other test uses it."""
    from tenants.models import Municipality
    from tenants.services import municipality_create

    with django_db_blocker.unblock():
        town = Municipality.objects.filter(slug="oelsnitz").first()
        if town is None:
            town = municipality_create(
                name="Stadt Oelsnitz", slug="oelsnitz", domain=CKAN_HOST, ags="14521480", state="14",
                admin_email="it@oelsnitz.example",
            ).municipality  # fmt: skip
        with schema_context(town.schema_name):
            Dataset.objects.all().delete()
        trees = make_dataset(town, "baeume", keywords=["Bäume", "Umwelt"], theme="ENVI")
        add_file(town, trees)
        make_dataset(town, "haushalt", title="Haushaltsplan", keywords=["Haushalt"], theme="ECON")
        make_dataset(town, "parken", title="Parkplätze", keywords=["Parken", "Verkehr"], theme="TRAN")
    return CKAN_HOST


@pytest.fixture(scope="session")
def ckan_server(ckan_town: str, django_db_blocker: Any) -> Iterator[int]:
    port = free_port()
    env = child_process_env(django_db_blocker, AMTSPLATZ_PORTAL_PORT=str(port))
    command = [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        healthz_wait(port, ckan_town, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def _client(port: int, host: str) -> RemoteCKAN:
    session = requests.Session()
    session.headers["Host"] = host  # *.localhost names need no resolver: connect to 127.0.0.1, name the portal
    return RemoteCKAN(f"http://127.0.0.1:{port}", user_agent="amtsplatz-tests/1.0", session=session)


def test_a_ckan_client_lists_shows_and_searches(ckan_server: int) -> None:
    with _client(ckan_server, CKAN_HOST) as ckan:
        names = ckan.action.package_list()
        assert {"baeume", "haushalt", "parken", "statistik-maengelmeldungen-je-monat"} <= set(names)
        trees = ckan.action.package_show(id="baeume")
        assert trees["organization"]["name"] == "oelsnitz"
        assert trees["resources"][0]["format"] == "CSV"
        assert trees["license_id"] == "dl-by-de/2.0"
        with pytest.raises(NotFound):
            ckan.action.package_show(id="gibt-es-nicht")
        assert [p["name"] for p in ckan.action.package_search(q="Haushaltsplan")["results"]] == ["haushalt"]
        by_tag = ckan.action.package_search(fq='tags:"Verkehr"')
        assert by_tag["count"] == 1 and by_tag["results"][0]["name"] == "parken"
        by_group = ckan.action.package_search(fq="groups:envi organization:oelsnitz")
        assert [p["name"] for p in by_group["results"]] == ["baeume"]
        everything = ckan.action.package_search(q="*:*", rows=2, start=0)
        assert everything["count"] >= 6 and len(everything["results"]) == 2
        rest = ckan.action.package_search(q="*:*", rows=100, start=2)
        assert len(rest["results"]) == everything["count"] - 2


def test_a_ckan_client_reads_the_platform_catalogue(ckan_server: int) -> None:
    with _client(ckan_server, "localhost") as ckan:
        names = ckan.action.package_list()
        assert "oelsnitz--baeume" in names
        found = ckan.action.package_search(fq="organization:oelsnitz tags:Haushalt")
        assert [p["name"] for p in found["results"]] == ["oelsnitz--haushalt"]
        assert found["results"][0]["organization"]["title"] == "Stadt Oelsnitz"
