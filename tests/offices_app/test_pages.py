"""Portal pages, the API, /cms/ editing and the office console for offices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context

from offices.districts.models import DistrictOffice
from offices.models import Office
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def test_directory_lists_offices_and_works_without_javascript(
    gera_registers_vehicles: Office, gera_client: Client
) -> None:
    response = gera_client.get("/dienststellen/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/dienststellen/kfz-zulassung/"' in body
    assert "Kornmarkt 12" in body
    assert "data-map-show hidden" in body  # the map waits for the visitor
    assert "no-cache" in response["Cache-Control"]


def test_detail_page_shows_status_hours_and_accessibility(gera_registers_vehicles: Office, gera_client: Client) -> None:
    body = gera_client.get("/en/dienststellen/kfz-zulassung/").content.decode()
    assert "<h1>Kfz-Zulassung der Stadt Gera</h1>" in body
    assert "Open now until 16:00" in body or "Closed" in body
    assert "<caption>Opening hours</caption>" in body
    assert "Step-free access" in body and "not known" in body
    assert "Test registration" in body


def test_service_page_shows_the_landratsamt_in_wurzen_and_the_city_office_in_gera(
    gera_registers_vehicles: Office, wurzen_offers_vehicle_registration: None, gera_client: Client,
    wurzen_client: Client,
) -> None:  # fmt: skip
    in_gera = gera_client.get("/leistungen/testzulassung/").content.decode()
    in_wurzen = wurzen_client.get("/leistungen/testzulassung/").content.decode()
    assert "Kfz-Zulassung der Stadt Gera" in in_gera and "Landratsamt" not in in_gera
    assert "Landratsamt Landkreis Leipzig" in in_wurzen and "Stauffenbergstraße 4" in in_wurzen


def test_finder_searches_then_resolves_by_address(
    gera_two_registration_offices: tuple[Office, Office], gera_client: Client
) -> None:
    found = gera_client.get("/zustaendigkeit/", {"q": "Testmeldung", "plz": "07549"})
    assert found.status_code == 200
    body = found.content.decode()
    assert "Bürgerbüro Lusan" in body and 'aria-live="polite"' in body
    centre = gera_client.get("/zustaendigkeit/", {"leistung": "testmeldung", "plz": "07545"}).content.decode()
    assert "Bürgerservice im Rathaus" in centre and "Bürgerbüro Lusan" not in centre
    searched_again = gera_client.get("/zustaendigkeit/", {"leistung": "testmeldung", "q": "Testzulassung"})
    assert "Bürgerbüro Lusan" not in searched_again.content.decode()
    asks = gera_client.get("/zustaendigkeit/", {"leistung": "testmeldung"}).content.decode()
    assert "depends on where you live" in asks or "hängt davon ab" in asks


def test_finder_refuses_a_bad_postcode_with_400(gera: Municipality, gera_client: Client) -> None:
    response = gera_client.get("/en/zustaendigkeit/", {"q": "Ausweis", "plz": "12"})
    assert response.status_code == 400
    assert "A German postcode has five digits." in response.content.decode()
    german = gera_client.get("/zustaendigkeit/", {"q": "Ausweis", "plz": "12"})
    assert german.status_code == 400 and "Eine deutsche Postleitzahl hat fünf Ziffern." in german.content.decode()


def test_finder_unknown_service_is_404(gera: Municipality, gera_client: Client) -> None:
    assert gera_client.get("/zustaendigkeit/", {"leistung": "gibt-es-nicht"}).status_code == 404


def test_api_lists_and_details_offices(
    gera_registers_vehicles: Office, wurzen_offers_vehicle_registration: None, gera_client: Client,
    wurzen_client: Client,
) -> None:  # fmt: skip
    listed = gera_client.get("/api/v1/offices").json()
    assert [item["id"] for item in listed] == ["kfz-zulassung"]
    assert set(listed[0]["status"]) == {"open_now", "text", "open_until", "next_opening", "closed_reason"}
    detail = gera_client.get("/api/v1/offices/kfz-zulassung").json()
    assert detail["closed_on_public_holidays_of_state"] == "16"
    assert len(detail["opening_hours"]) == 5 and detail["services"] == ["testzulassung"]
    district = wurzen_client.get("/api/v1/offices/district/landratsamt").json()
    assert district["source"] == "district" and district["closed_on_public_holidays_of_state"] == "14"
    schema = gera_client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/offices", "/api/v1/offices/{office_id}", "/api/v1/offices/district/{office_id}"} <= set(
        schema["paths"]
    )


def _cms(host: str, username: str, password: str) -> Client:
    client = Client(HTTP_HOST=host)
    assert client.post("/cms/login/", {"username": username, "password": password}).status_code == 302
    return client


def _office_post(**extra: str) -> dict[str, str]:
    data = {
        "name": "Bürgerbüro Nord", "slug": "nord", "kind": "buergerbuero", "street": "Nordstraße 1",
        "postcode": "07546", "city": "Gera", "latitude": "", "longitude": "", "phone": "", "email": "",
        "contact_url": "", "closed_on_holidays": "on", "step_free": "", "disabled_parking": "",
        "induction_loop": "", "accessibility_de": "", "accessibility_en": "",
        "opening_intervals-TOTAL_FORMS": "2", "opening_intervals-INITIAL_FORMS": "0",
        "opening_intervals-MIN_NUM_FORMS": "0", "opening_intervals-MAX_NUM_FORMS": "1000",
        "opening_intervals-0-weekday": "0", "opening_intervals-0-opens": "08:00", "opening_intervals-0-closes": "12:00",
        "opening_intervals-0-ORDER": "1",
        "opening_intervals-1-weekday": "0", "opening_intervals-1-opens": "13:00", "opening_intervals-1-closes": "16:00",
        "opening_intervals-1-ORDER": "2",
        "opening_exceptions-TOTAL_FORMS": "0", "opening_exceptions-INITIAL_FORMS": "0",
        "opening_exceptions-MIN_NUM_FORMS": "0", "opening_exceptions-MAX_NUM_FORMS": "1000",
        "area_rules-TOTAL_FORMS": "0", "area_rules-INITIAL_FORMS": "0", "area_rules-MIN_NUM_FORMS": "0",
        "area_rules-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(extra)
    return data


def test_cms_refuses_overlapping_hours_naming_the_conflict(gera: Municipality) -> None:
    client = _cms("gera.localhost", "it@gera.example", "Gera-Admin-Passwort-1")
    refused = client.post("/cms/snippets/offices/office/add/", _office_post(**{"opening_intervals-1-opens": "11:00"}))
    assert refused.status_code == 400
    assert "Montag 08:00–12:00 überschneidet sich mit Montag 11:00–16:00" in refused.content.decode()
    with schema_context("gera"):
        assert not Office.objects.filter(slug="nord").exists()
    saved = client.post("/cms/snippets/offices/office/add/", _office_post())
    assert saved.status_code == 302, saved.content.decode()[:3000]
    with schema_context("gera"):
        assert Office.objects.get(slug="nord").opening_intervals.count() == 2


def test_phone_desk_shows_the_merged_view(gera_registers_vehicles: Office) -> None:
    client = _cms("gera.localhost", "it@gera.example", "Gera-Admin-Passwort-1")
    body = client.get("/cms/telefon/testzulassung/").content.decode()
    assert "Kfz-Zulassung der Stadt Gera" in body and "Kornmarkt 12" in body
    assert client.get("/cms/telefon/", {"q": "Testzulassung"}).status_code == 200
    assert client.get("/cms/telefon/testzulassung/", {"plz": "abc"}).status_code == 400


def _console_post(**extra: str) -> dict[str, Any]:
    data = {
        "name": "Landratsamt Mittelsachsen", "slug": "freiberg", "kind": "landratsamt",
        "street": "Frauensteiner Straße 43", "postcode": "09599", "city": "Freiberg", "closed_on_holidays": "on",
        "step_free": "unknown", "disabled_parking": "unknown", "induction_loop": "unknown",
        "hours-TOTAL_FORMS": "2", "hours-INITIAL_FORMS": "0", "hours-MIN_NUM_FORMS": "0", "hours-MAX_NUM_FORMS": "1000",
        "hours-0-weekday": "1", "hours-0-opens": "08:00", "hours-0-closes": "18:00",
        "hours-1-weekday": "3", "hours-1-opens": "08:00", "hours-1-closes": "18:00",
        "exceptions-TOTAL_FORMS": "0", "exceptions-INITIAL_FORMS": "0", "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(extra)
    return data


def test_office_console_keeps_district_offices(admin_client: Client) -> None:
    assert admin_client.post("/office/districts/", {"key": "14522", "name": "Landkreis Mittelsachsen",
                                                    "state": "14"}).status_code == 302  # fmt: skip
    refused = admin_client.post("/office/districts/14522/offices/new/", _console_post(**{"hours-1-weekday": "1"}))
    assert refused.status_code == 400
    assert "überschneidet sich" in refused.content.decode()
    assert not DistrictOffice.objects.exists()
    saved = admin_client.post("/office/districts/14522/offices/new/", _console_post())
    assert saved.status_code == 302, saved.content.decode()[:3000]
    office = DistrictOffice.objects.get(slug="freiberg")
    assert office.opening_intervals.count() == 2
    listing = admin_client.get("/office/districts/").content.decode()
    assert "Landratsamt Mittelsachsen" in listing and "Landkreis Mittelsachsen (14522)" in listing
    edit = admin_client.get(f"/office/districts/14522/offices/{office.pk}/")
    assert edit.status_code == 200 and 'value="Frauensteiner Straße 43"' in edit.content.decode()
    assert admin_client.post("/office/districts/", {"key": "1452", "name": "x", "state": "14"}).status_code == 400


def test_office_console_needs_the_role(office_user_in: Callable[[str], User]) -> None:
    from amtsplatz.office import roles

    client = Client(HTTP_HOST="localhost")
    client.force_login(office_user_in(roles.BILLING))
    assert client.get("/office/districts/").status_code == 403


def test_cms_lists_only_the_own_offices(gera_registers_vehicles: Office, wurzen: Municipality) -> None:
    with schema_context("wurzen"):
        Office.objects.create(
            slug="rathaus", name="Bürgerbüro Wurzen", street="Markt 1", postcode="04808", city="Wurzen"
        )
    client = _cms("wurzen.localhost", "it@wurzen.example", "Wurzen-Admin-Passwort-1")
    listing = client.get("/cms/snippets/offices/office/").content.decode()
    assert "Bürgerbüro Wurzen" in listing and "Kfz-Zulassung der Stadt Gera" not in listing
