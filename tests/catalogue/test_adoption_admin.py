"""Municipality admins adopt and override services in their /cms/, and only their own."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services_catalog.local.models import LocalService
from tenants.models import Municipality
from tests.catalogue.factories import published_service

pytestmark = pytest.mark.django_db


def _logged_in(host: str, username: str, password: str) -> Client:
    client = Client(HTTP_HOST=host)
    assert client.post("/cms/login/", {"username": username, "password": password}).status_code == 302
    return client


FORM = {
    "enabled": "on", "online_available": "on", "fee_amount": "25.00", "office_name": "Bürgeramt",
    "office_street": "", "office_postcode": "07545", "office_city": "Gera", "office_phone": "",
    "office_email": "", "opening_hours": "Mo–Fr 8–12 Uhr", "local_note_de": "", "local_note_en": "",
    "pinned_version": "",
}  # fmt: skip


def test_gera_admin_adopts_and_overrides_in_cms(gera: Municipality) -> None:
    definition = published_service()
    client = _logged_in("gera.localhost", "it@gera.example", "Gera-Admin-Passwort-1")
    response = client.post("/cms/local_services/new/", {**FORM, "definition": definition.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("gera"):
        local = LocalService.objects.get()
        assert (str(local.fee_amount), local.office_name) == ("25.00", "Bürgeramt")
    listing = client.get("/cms/local_services/").content.decode()
    assert "Testparkausweis" in listing


def test_bad_postcode_is_refused_with_a_message(gera: Municipality) -> None:
    definition = published_service()
    client = _logged_in("gera.localhost", "it@gera.example", "Gera-Admin-Passwort-1")
    response = client.post("/cms/local_services/new/", {**FORM, "definition": definition.pk, "office_postcode": "7545"})
    assert response.status_code == 200
    assert "fünf Ziffern" in response.content.decode() or "five digits" in response.content.decode()
    with schema_context("gera"):
        assert not LocalService.objects.exists()


def test_wurzen_admin_cannot_change_geras_adoption(gera: Municipality, wurzen: Municipality) -> None:
    definition = published_service()
    with schema_context("gera"):
        gera_local = LocalService.objects.create(definition=definition, office_name="Bürgeramt Gera")
    wurzen_client = _logged_in("wurzen.localhost", "it@wurzen.example", "Wurzen-Admin-Passwort-1")
    edit_url = f"/cms/local_services/edit/{gera_local.pk}/"
    assert wurzen_client.get(edit_url).status_code == 404
    assert wurzen_client.post(edit_url, {**FORM, "office_name": "Gekapert"}).status_code == 404
    assert "Bürgeramt Gera" not in wurzen_client.get("/cms/local_services/").content.decode()
    # Wurzen's session means nothing on Gera's host.
    wurzen_client.defaults["HTTP_HOST"] = "gera.localhost"
    assert wurzen_client.post(edit_url, {**FORM, "office_name": "Gekapert"}).status_code == 302
    with schema_context("gera"):
        assert LocalService.objects.get(pk=gera_local.pk).office_name == "Bürgeramt Gera"
