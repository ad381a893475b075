"""The event notice's road-closure group and further days on the web: add entries, rules, saved nested data."""

from __future__ import annotations

import copy
import datetime
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from pypdf import PdfReader

from applications import services
from applications.decision_documents import decision_document
from applications.documents import render_decision_pdf
from applications.models import Application
from applications.selectors import answers
from applications.states import Status
from tests.applications.conftest import PERSON, offer, verified_client

pytestmark = pytest.mark.django_db


def test_entries_are_added_checked_and_stored_as_a_list(gera: Any, wurzen: Any) -> None:
    offer("gera", "veranstaltungsanzeige")
    client, step_url = verified_client("gera.localhost", "erika@example.org", "veranstaltungsanzeige")
    event_url = client.post(step_url, {**PERSON, "action": "next"})["Location"]
    today = datetime.date.today()
    later = (today + datetime.timedelta(days=30)).isoformat()
    earlier = (today + datetime.timedelta(days=20)).isoformat()
    event = {"titel": "Straßenfest", "veranstaltungsort": "Markt", "datum": later, "besucher": "200",
             "strasse_gesperrt": "true", "alkohol": "false", "weitere_tage-count": "1",
             "weitere_tage-0-weiterer_tag": later}  # fmt: skip
    page = client.post(event_url, {**event, "action": "add:weitere_tage"}).content.decode()
    assert 'name="weitere_tage-1-weiterer_tag"' in page  # one more entry, nothing validated yet
    assert 'value="Straßenfest"' in page and "field-error" not in page
    script = re.search(r'<script id="show-if-conditions" type="application/json">(.*?)</script>', page, re.S)
    assert script is not None, page[-3000:]
    conditions = json.loads(script.group(1))
    assert conditions["group-sperrung"] == {"field": "strasse_gesperrt", "op": "true"}  # the script hides it too
    posted = {**event, "weitere_tage-count": "2", "weitere_tage-1-weiterer_tag": "", "gesperrte_strasse": "Markt",
              "sperrung_von": later, "sperrung_bis": earlier, "action": "next"}  # fmt: skip
    response = client.post(event_url, posted)
    assert response.status_code == 200
    assert "Die Sperrung kann nicht enden, bevor sie beginnt." in response.content.decode()
    response = client.post(event_url, {**posted, "sperrung_bis": later})
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("gera"):
        application = Application.objects.get(applicant_email="erika@example.org")
        data = application.data
        shown = dict(answers(application)[1][1])
    assert shown["Weitere Veranstaltungstage 1: Datum"] == ".".join(reversed(later.split("-")))
    assert shown["Welche Straße soll gesperrt werden?"] == "Markt"
    assert data["weitere_tage"] == [{"weiterer_tag": later}]  # the empty second entry is dropped
    assert data["gesperrte_strasse"] == "Markt"
    with schema_context("wurzen"):
        assert not Application.objects.filter(applicant_email="erika@example.org").exists()
    assert Client(HTTP_HOST="wurzen.localhost").get(event_url).status_code in (302, 404)


@pytest.mark.parametrize(
    ("language", "plate_label", "entry_label"),
    [("de", "Amtliches Kennzeichen", "Weiteres Fahrzeug"), ("en", "Registration number", "Further vehicle")],
)
def test_the_permit_lists_every_entry_of_a_repeatable_group(
    gera_parking: Any, language: str, plate_label: str, entry_label: str
) -> None:
    with schema_context("gera"):
        application = services.draft_start(service=gera_parking, email="erika@example.org")
        application.language = language
        steps: list[dict[str, Any]] = (application.version.form_schema or {})["groups"]
        fahrzeug = copy.deepcopy(steps[-1])
        fahrzeug["groups"] = [{
            "id": "weitere_fahrzeuge", "title": {"de": "Weiteres Fahrzeug", "en": "Further vehicle"},
            "repeat": {"min": 0, "max": 3}, "fields": [fahrzeug["fields"][0]],
        }]  # fmt: skip
        # Only in memory: a published version's schema is never changed in the database.
        application.version.form_schema = {"groups": [*steps[:-1], fahrzeug]}
        application.data = {**PERSON, "kennzeichen": "G-AB 123", "gesamtmasse": 1500, "halter": True,
                            "weitere_fahrzeuge": [{"kennzeichen": "G-CD 45"}, {"kennzeichen": "G-EF 678"}]}  # fmt: skip
        pdf = render_decision_pdf(decision_document(application, Status.APPROVED))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{plate_label} G-AB 123" in text
    assert f"{entry_label} 1: {plate_label} G-CD 45" in text
    assert f"{entry_label} 2: {plate_label} G-EF 678" in text
