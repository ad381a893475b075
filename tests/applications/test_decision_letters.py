"""Decision letters that hold up in law, and automatic approval only on verified facts (issue 20, ADR 0081/0082).

The letter's Rechtsbehelfsbelehrung names the responsible authority (from the offices app), its address, the
form and the deadline; its title names the decision; a manual decision is signed "Im Auftrag" with name and
role; the resident parking permit is approved automatically only for a verified resident inside a zone.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_context
from pypdf import PdfReader

from amtsplatz.infra.addresses import split_street_and_number
from amtsplatz.infra.registers import ResidenceQuery
from applications import services
from applications.decision_documents import decision_document
from applications.documents import render_decision_html
from applications.models import (
    Application,
    DecisionLetterSettings,
    DemoResident,
    ParkingZone,
    ParkingZoneStreet,
    ReasonTemplate,
    StaffProfile,
)
from applications.registers.demo_melderegister import DemoMelderegister
from applications.states import Status
from applications.zones import zone_for
from offices.models import Office
from services_catalog.local.models import LocalService
from tests.applications.conftest import (
    PERSON,
    caseworker,
    file_dog,
    offer,
    parking_filed,
    parking_fill,
    verified_client,
)
from tests.conftest import PROJECT_ROOT
from tests.portal.conftest import chromium
from tests.portal.test_accessibility import _axe

pytestmark = pytest.mark.django_db
PASSWORD = "Kennwort-Sachbearbeitung-1"
VEHICLE = {"kennzeichen": "G-AB 123", "gesamtmasse": "1800", "halter": "true"}


def _pdf_text(application: Application) -> str:
    with application.decision_document.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _traffic_office(service: LocalService) -> Office:
    office = Office.objects.create(
        slug="verkehr", name="Straßenverkehrsbehörde", street="Gagarinstraße 99/101", postcode="07545", city="Gera"
    )
    office.services.add(service)
    office.save()
    return office


@pytest.fixture
def free_parking(gera: Any) -> LocalService:
    """The parking permit without a local fee: decided right after submission, no payment step."""
    return offer("gera", "bewohnerparkausweis", fee_amount=Decimal("0.00"))


def _staff(schema: str, username: str) -> Client:
    client = Client(HTTP_HOST=f"{schema}.localhost")
    response = client.post("/cms/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# --- the letter ---------------------------------------------------------------------------------------------


def test_the_belehrung_of_an_automatic_approval_names_authority_address_form_and_deadline(
    free_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        _traffic_office(free_parking)
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
        assert application.status == Status.APPROVED
        text = _pdf_text(application)
    assert "Rechtsbehelfsbelehrung" in text
    assert "Stadt Gera, Straßenverkehrsbehörde, Gagarinstraße 99/101, 07545 Gera" in text
    assert "innerhalb eines Monats nach Bekanntgabe" in text
    assert "schriftlich oder zur Niederschrift" in text
    assert "steht in Ihrem Bescheid" not in text
    assert "elektronisch" not in text  # no electronic way configured, none promised
    # The title names the decision, not the service's action name.
    assert "Bescheid über die Erteilung eines Bewohnerparkausweises" in text
    assert "Bewohnerparkausweis beantragen" not in text
    # The permit shows what a permit must show: zone, plate, validity, issuing authority.
    assert "Bewohnerparkzone" in text and "A – Innenstadt" in text
    assert "G-AB 123" in text and "Gültig" in text
    assert "Ausstellende Behörde Stadt Gera, Straßenverkehrsbehörde" in text


def test_the_electronic_way_is_named_only_where_the_municipality_offers_it(
    free_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        settings = DecisionLetterSettings.load()
        settings.objection_de_mail = "widerspruch@gera.de-mail.de"
        settings.save()
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
        text = _pdf_text(application)
    assert "De-Mail" in text and "widerspruch@gera.de-mail.de" in text
    assert "qualifizierten elektronischen Signatur" not in text


def test_without_an_office_the_service_s_local_office_entry_is_named(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    offer(
        "gera", "bewohnerparkausweis", fee_amount=Decimal("0.00"), office_street="Markt 1", office_postcode="07545",
        office_city="Gera",
    )  # fmt: skip
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
        text = _pdf_text(application)
    assert "Stadt Gera, Bürgerservice, Markt 1, 07545 Gera" in text


def test_a_rejection_is_titled_as_a_rejection_and_signed_by_name_and_role_never_by_e_mail(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    dogs = offer("gera", "hundesteuer-anmeldung")
    staff = caseworker("gera", "anna", dogs)
    with schema_context("gera"):
        StaffProfile.objects.filter(user=staff).update(
            display_name="Anna Schmidt", role="Sachbearbeiterin", office="Steueramt"
        )
        application = file_dog()
        with django_capture_on_commit_callbacks(execute=True):
            services.decide_application(application, approve=False, reasons="Der Hund ist nicht gemeldet.", actor=staff)
        application.refresh_from_db()
        text = _pdf_text(application)
    assert "Bescheid über die Ablehnung Ihrer Anmeldung zur Hundesteuer" in text
    assert "Im Auftrag Anna Schmidt Sachbearbeiterin, Steueramt" in text
    assert "anna@example.org" not in text and "anna " not in text.replace("Anna Schmidt", "")


def test_a_caseworker_without_a_signature_cannot_decide(gera: Any) -> None:
    dogs = offer("gera", "hundesteuer-anmeldung")
    staff = caseworker("gera", "ohne", dogs)
    with schema_context("gera"):
        StaffProfile.objects.filter(user=staff).delete()
        application = file_dog()
        with pytest.raises(ValidationError, match="Unterschrift"):
            services.decide_application(application, approve=True, reasons="Alles da.", actor=staff)
        assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


# --- preview and text templates -----------------------------------------------------------------------------


def test_caseworkers_preview_the_letter_before_deciding_and_nothing_is_stored(gera: Any) -> None:
    dogs = offer("gera", "hundesteuer-anmeldung")
    staff = caseworker("gera", "berta", dogs)
    with schema_context("gera"):
        StaffProfile.objects.filter(user=staff).update(display_name="Berta Beispiel", role="Sachbearbeiterin")
        application = file_dog()
        ReasonTemplate.objects.create(service=dogs, title="Steuerpflicht", text="Die Steuerpflicht beginnt am 1. Juli.")
    client = _staff("gera", "berta")
    detail = client.get(f"/cms/antraege/{application.public_id}/").content.decode()
    assert "Die Steuerpflicht beginnt am 1. Juli." in detail  # the Textbaustein, ready to insert
    assert f"/cms/antraege/{application.public_id}/bescheid-vorschau/" in detail
    assert "keine Postanschrift bekannt" in detail  # no office with an address provides the dog tax here

    response = client.post(
        f"/cms/antraege/{application.public_id}/bescheid-vorschau/",
        {"outcome": "approve", "reasons": "Die Steuerpflicht beginnt am 1. Juli."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bescheid über die Anmeldung Ihres Hundes zur Hundesteuer" in html
    assert "Die Steuerpflicht beginnt am 1. Juli." in html and "Berta Beispiel" in html
    with schema_context("gera"):
        stored = Application.objects.get(pk=application.pk)
        assert stored.status == Status.IN_REVIEW and not stored.decision_reasons and not stored.decision_document
        # The preview is the letter: the same HTML the PDF is rendered from.
        stored.decision_reasons = "Die Steuerpflicht beginnt am 1. Juli."
        signer = StaffProfile.objects.get(user=staff)
        assert render_decision_html(decision_document(stored, Status.APPROVED, signer=signer)) == html

    refused = client.post(f"/cms/antraege/{application.public_id}/bescheid-vorschau/", {"outcome": "maybe"})
    assert refused.status_code == 400


def test_the_letter_preview_passes_axe(gera: Any) -> None:
    dogs = offer("gera", "hundesteuer-anmeldung")
    staff = caseworker("gera", "axel", dogs)
    with schema_context("gera"):
        application = file_dog()
    client = _staff("gera", "axel")
    pages = [
        client.post(
            f"/cms/antraege/{application.public_id}/bescheid-vorschau/", {"outcome": outcome, "reasons": "Begründung."}
        ).content.decode()
        for outcome in ("approve", "reject")
    ]
    assert staff.pk
    with chromium() as browser:
        page = browser.new_page()
        problems = []
        for html in pages:
            page.set_content(html)
            problems += [f"{v['id']}: {v['help']}" for v in _axe(page)["violations"]]
    assert not problems, problems


# --- verified facts -----------------------------------------------------------------------------------------


def test_a_verified_resident_inside_a_zone_is_approved_automatically(
    free_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.facts["parking_zone"] == {
        "verified": True, "value": "A – Innenstadt", "source": "Bewohnerparkzonen der Gemeinde", "reason": "",
    }  # fmt: skip
    assert application.facts["main_residence"]["verified"] is True
    assert "Demo-Melderegister" in application.facts["main_residence"]["source"]


def test_an_address_outside_every_zone_goes_to_a_caseworker_with_the_reason(
    free_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        ParkingZoneStreet.objects.all().delete()
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
        notes = list(application.history.values_list("comment", flat=True))
    assert application.status == Status.IN_REVIEW and not application.decision_document
    assert "keiner Bewohnerparkzone" in application.decision_reasons
    assert any("keiner Bewohnerparkzone" in note for note in notes)


def test_without_a_verified_residence_the_ticked_box_is_not_enough(
    free_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        DemoResident.objects.update(street_and_number="Sorge 3")  # registered elsewhere in the zone
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.data["hauptwohnsitz"] is True  # what the form claimed
    assert application.facts["main_residence"]["verified"] is False
    assert "Hauptwohnsitz" in application.decision_reasons


def test_without_any_register_the_permit_goes_to_a_caseworker(
    free_parking: LocalService, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        DemoResident.objects.all().delete()
    _client, application = parking_filed(VEHICLE, django_capture_on_commit_callbacks)
    with schema_context("gera"):
        application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert "Kein Melderegister" in application.decision_reasons


def test_the_zone_is_derived_from_street_number_and_parity(gera: Any) -> None:
    with schema_context("gera"):
        north = ParkingZone.objects.create(code="N", name="Nord")
        south = ParkingZone.objects.create(code="S", name="Süd")
        ParkingZoneStreet.objects.create(zone=north, street="Bahnhofstraße", number_from=1, number_to=39, parity="odd")
        ParkingZoneStreet.objects.create(zone=south, street="Bahnhofstraße", number_from=2, number_to=40, parity="even")
        assert zone_for("Bahnhofstr. 7").zone == "N – Nord"
        assert zone_for("bahnhof-strasse 8a").zone == "S – Süd"
        assert zone_for("Bahnhofstraße 41").zone == ""
        assert zone_for("Bahnhofstraße").zone == ""
        ParkingZoneStreet.objects.create(zone=south, street="Bahnhofstraße", number_from=1, number_to=9)
        overlap = zone_for("Bahnhofstraße 7")
        assert overlap.zone == "" and overlap.candidates == ("N – Nord", "S – Süd")
    assert split_street_and_number("Am Markt 12 b") == ("Am Markt", 12, "b")


def test_the_review_page_shows_the_derived_zone_and_offers_no_choice(gera_parking: LocalService) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    review_url = parking_fill(client, step_url, vehicle=VEHICLE)
    page = client.get(review_url).content.decode()
    assert "A – Innenstadt" in page
    assert 'name="zone"' not in page


# --- isolation ----------------------------------------------------------------------------------------------


def test_gera_s_zones_templates_and_register_are_nothing_on_wurzen(gera_parking: LocalService, wurzen: Any) -> None:
    offer("wurzen", "hundesteuer-anmeldung")
    with schema_context("wurzen"):
        admin = User.objects.create_superuser("wilma", "wilma@example.org", PASSWORD)
        StaffProfile.objects.create(user=admin, display_name="Wilma Wurzen", office="Bürgeramt")
    with schema_context("gera"):
        gera_dogs = offer("gera", "hundesteuer-anmeldung")
        ReasonTemplate.objects.create(service=gera_dogs, title="Gera-Baustein", text="Nur in Gera.")
        zone = ParkingZone.objects.get(code="A")
    query = ResidenceQuery(
        given_names=PERSON["vorname"], family_name=PERSON["nachname"], birth_date=None,
        street_and_number=PERSON["strasse"], postcode=PERSON["plz"], city=PERSON["ort"],
    )  # fmt: skip
    with schema_context("wurzen"):
        assert zone_for(PERSON["strasse"]).zone == ""
        assert DemoMelderegister().main_residence(query) is None  # no demo entries here: the register is silent
        assert not ReasonTemplate.objects.exists()
        application = file_dog()
    with schema_context("gera"):
        User.objects.create_superuser("gerd", "gerd@example.org", PASSWORD)
    pages = {"/cms/reason_templates/": "Gera-Baustein", "/cms/parking_zones/": "Innenstadt",
             "/cms/demo_residents/": "Mustermann"}  # fmt: skip
    gera_admin, wurzen_admin = _staff("gera", "gerd"), _staff("wurzen", "wilma")
    for path, text in pages.items():
        assert text in gera_admin.get(path).content.decode()  # the same page shows it in Gera
        response = wurzen_admin.get(path)
        assert response.status_code == 200 and text not in response.content.decode(), path
    detail = wurzen_admin.get(f"/cms/antraege/{application.public_id}/").content.decode()
    assert "Nur in Gera." not in detail
    assert wurzen_admin.get(f"/cms/parking_zones/edit/{zone.pk}/").status_code == 404


def test_staff_manage_zones_in_cms(gera: Any) -> None:
    with schema_context("gera"):
        admin = User.objects.create_superuser("chefin", "chefin@example.org", PASSWORD)
        assert admin.pk
    client = _staff("gera", "chefin")
    response = client.post(
        "/cms/parking_zones/new/",
        {
            "code": "B", "name": "Altstadt",
            "streets-TOTAL_FORMS": "1", "streets-INITIAL_FORMS": "0", "streets-MIN_NUM_FORMS": "0",
            "streets-MAX_NUM_FORMS": "1000", "streets-0-street": "Markt", "streets-0-number_from": "1",
            "streets-0-number_to": "20", "streets-0-parity": "all", "streets-0-ORDER": "1", "streets-0-DELETE": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("gera"):
        assert zone_for("Markt 5").zone == "B – Altstadt"


def test_the_demo_seed_brings_zones_register_templates_and_signatures(gera: Any) -> None:
    from demo.letters import letters_demo_ensure

    parking = offer("gera", "bewohnerparkausweis")
    staff = caseworker("gera", "demo", parking)
    with schema_context("gera"):
        StaffProfile.objects.filter(user=staff).delete()
        ParkingZone.objects.all().delete()
        DemoResident.objects.all().delete()
        for _run in range(2):  # running the seed again changes nothing
            letters_demo_ensure("gera", staff, "Bürgerservice Gera")
        assert zone_for("Gagarinstraße 7").zone == "B – Ostviertel"
        assert zone_for("Gagarinstraße 8").zone == "C – Untermhaus"
        assert ParkingZone.objects.count() == 3 and DemoResident.objects.count() == 3
        assert ReasonTemplate.objects.filter(service=parking).count() == 3
        assert StaffProfile.objects.get(user=staff).display_name == "Petra Demo"


def test_a_text_template_is_inserted_into_the_reasons_at_the_cursor() -> None:
    script = PROJECT_ROOT / "applications" / "static" / "applications" / "reason_templates.js"
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(
            '<form><textarea name="reasons">Erster Satz.</textarea>'
            '<button type="button" data-insert-reason="Die Steuerpflicht beginnt am 1. Juli.">Einfügen</button></form>'
        )
        page.add_script_tag(path=str(script))
        page.click("[data-insert-reason]")  # not yet in the field: appended
        assert page.input_value("textarea") == "Erster Satz.\nDie Steuerpflicht beginnt am 1. Juli."
        page.fill("textarea", "Vorher. Nachher.")
        page.evaluate("document.querySelector('textarea').setSelectionRange(8, 8)")
        page.click("[data-insert-reason]")  # at the cursor
        assert page.input_value("textarea") == "Vorher. \nDie Steuerpflicht beginnt am 1. Juli.Nachher."
