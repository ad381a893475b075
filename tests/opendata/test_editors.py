"""The editors' views in /cms/opendata/: a refused file shows line and reason and stores nothing; permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from opendata.models import Dataset, Distribution
from tests.opendata.conftest import TREES_CSV, make_dataset


def _editor(schema: str, username: str, *, allowed: bool) -> Client:
    with schema_context(schema):
        user = User.objects.create_user(username, username, "Editor-Passwort-2026", is_staff=True)
        group = Group.objects.create(name=f"Open data {username}")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        if allowed:
            group.permissions.add(Permission.objects.get(codename="change_dataset", content_type__app_label="opendata"))
        user.groups.add(group)
        client = Client(HTTP_HOST=f"{schema}.localhost")
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_editor_describes_a_data_set_and_a_malformed_csv_is_refused(gera: Any) -> None:
    client = _editor(gera.schema_name, "daten@gera.example", allowed=True)
    response = client.post("/cms/opendata/neu/", {
        "title": "Spielplätze", "slug": "spielplaetze", "description": "Alle Spielplätze.", "theme": "SOCI",
        "licence": "dl-by-de/2.0", "contact_name": "Grünflächenamt", "contact_email": "gruen@gera.example",
        "frequency": "ANNUAL", "keywords_text": "Spielplatz, Kinder", "is_published": "on",
    })  # fmt: skip
    assert response.status_code == 302
    with schema_context(gera.schema_name):
        dataset = Dataset.objects.get(slug="spielplaetze")
    assert dataset.keywords == ["Spielplatz", "Kinder"]
    broken = SimpleUploadedFile("spielplaetze.csv", b"Name,Plaetze\nPark,3\nSchule,4,5\n")
    refused = client.post(f"/cms/opendata/{dataset.pk}/datei/", {"title": "Liste", "file": broken})
    assert refused.status_code == 400
    assert "Zeile 3" in refused.content.decode()
    with schema_context(gera.schema_name):
        assert not Distribution.objects.filter(dataset=dataset).exists()
    accepted = client.post(
        f"/cms/opendata/{dataset.pk}/datei/", {"title": "Liste", "file": SimpleUploadedFile("b.csv", TREES_CSV)}
    )
    assert accepted.status_code == 302
    token_page = client.post(f"/cms/opendata/{dataset.pk}/token/")
    assert token_page.status_code == 404  # not a live series


@pytest.mark.django_db
def test_without_the_permission_and_from_another_municipality_nothing_opens(gera: Any, wurzen: Any) -> None:
    dataset = make_dataset(gera, "baeume")
    outsider = _editor(gera.schema_name, "redaktion@gera.example", allowed=False)
    refused = outsider.get("/cms/opendata/")
    assert (refused.status_code, refused["Location"]) == (302, "/cms/")  # Wagtail's answer to PermissionDenied
    wurzen_editor = _editor(wurzen.schema_name, "daten@wurzen.example", allowed=True)
    assert wurzen_editor.get("/cms/opendata/").status_code == 200
    assert wurzen_editor.get(f"/cms/opendata/{dataset.pk}/").status_code == 404  # Gera's row is not in Wurzen's schema
