"""Open data: published reports (JSON, CSV) and ideas with support counts, no personal data; DCAT; OpenAPI."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from participation import services
from participation.models import Space
from tests.participation.conftest import category, citizen, space

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"
PERSONAL = ("email", "e-mail", "mail", "name", "pseudonym", "author", "contact", "phone", "real_name", "user")


def _seed() -> None:
    author = citizen("gera", "Datenquelle", "quelle@example.org", real_name="Rita Realname")
    supporter = citizen("gera", "Fan")
    cat = category("gera")
    ideas = space("gera", Space.Kind.IDEAS, "offen", premoderation=False)
    with schema_context("gera"):
        report = services.report_file(participant=author, category=cat, description="Ampel defekt", address="Markt 1",
                                      contact_allowed=True, contact_phone="0365 424242")  # fmt: skip
        services.moderation_approve(item=report, actor=None)
        services.report_file(participant=author, category=cat, description="Noch nicht geprüft", address="Weg 2")
        idea = services.idea_propose(participant=author, space=ideas, title="Bücherschrank", text="Am Park.")
        services.idea_support(idea=idea, participant=supporter)


def _keys_are_not_personal(keys: list[str]) -> None:
    for key in keys:
        assert not any(word in key.lower() for word in PERSONAL if word != "name" or key.lower() == "name"), key


def test_the_open_data_export_contains_no_email_name_or_contact_field(gera: Any) -> None:
    _seed()
    client = Client(HTTP_HOST=HOST)
    reports = client.get("/api/v1/reports").json()
    assert [report["description"] for report in reports] == ["Ampel defekt"]  # only what is published
    _keys_are_not_personal(list(reports[0]))
    body = client.get("/api/v1/reports").content.decode() + client.get("/api/v1/ideas").content.decode()
    exported_csv = client.get("/api/v1/reports?format=csv")
    assert exported_csv["Content-Type"].startswith("text/csv")
    body += exported_csv.content.decode()
    for secret in ("quelle@example.org", "Datenquelle", "Rita Realname", "0365 424242", "Fan"):
        assert secret not in body, secret
    rows = list(csv.DictReader(io.StringIO(exported_csv.content.decode().lstrip("\ufeff"))))
    assert [row["description"] for row in rows] == ["Ampel defekt"]
    _keys_are_not_personal(list(rows[0]))
    assert client.get("/api/v1/reports", HTTP_ACCEPT="text/csv")["Content-Type"].startswith("text/csv")


def test_ideas_come_with_their_support_counts(gera: Any) -> None:
    _seed()
    ideas = Client(HTTP_HOST=HOST).get("/api/v1/ideas").json()
    assert [(idea["title"], idea["supports"]) for idea in ideas] == [("Bücherschrank", 1)]
    _keys_are_not_personal(list(ideas[0]))
    rows = list(csv.DictReader(io.StringIO(Client(HTTP_HOST=HOST).get("/api/v1/ideas?format=csv").content.decode()
                                           .lstrip("\ufeff"))))  # fmt: skip
    assert rows[0]["supports"] == "1"


def test_filters_and_bad_input(gera: Any) -> None:
    _seed()
    client = Client(HTTP_HOST=HOST)
    assert client.get("/api/v1/reports?status=done").json() == []
    assert len(client.get("/api/v1/reports?category=strassenschaden").json()) == 1
    bad = client.get("/api/v1/reports?status=kaputt")
    assert bad.status_code == 422


def test_dcat_ap_de_description(gera: Any) -> None:
    response = Client(HTTP_HOST=HOST).get("/api/v1/datasets")
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog"
    datasets = catalog["dcat:dataset"]
    assert {d["dct:identifier"] for d in datasets} == {"16052000-maengelmeldungen", "16052000-ideen"}
    for dataset in datasets:
        assert dataset["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        assert dataset["dcatde:politicalGeocodingURI"]["@id"].endswith("/municipalityKey/16052000")
        urls = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]]
        assert any(url.endswith("?format=csv") for url in urls)
        assert all(url.startswith("http://gera.localhost") for url in urls)


def test_openapi_documents_the_open_data(gera: Any) -> None:
    schema = Client(HTTP_HOST=HOST).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/reports", "/api/v1/ideas", "/api/v1/datasets"} <= set(paths)
    content = paths["/api/v1/reports"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= set(content)
    properties = schema["components"]["schemas"]["ReportOut"]["properties"]
    _keys_are_not_personal(list(properties))
