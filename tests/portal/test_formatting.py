"""Language that fits: money and dates per language, citizen-facing headings on service pages, German
fallbacks marked, life situations that never lead to an empty list, e-mails from the municipality's name."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from amtsplatz.infra.formatting import day, moment, money
from services_catalog.local.selectors import _fallback, offered_services
from tests.applications.conftest import offer
from themes.mail import sender

EVENING = datetime(2026, 12, 5, 18, 9, tzinfo=UTC)  # 19:09 in Berlin


def test_money_follows_the_language() -> None:
    assert money(Decimal("30.7"), "de") == "30,70\u00a0€"
    assert money(Decimal("30.7"), "en") == "€30.70"
    assert money(Decimal("1234.5"), "de") == "1.234,50\u00a0€"
    assert money(Decimal("1234.5"), "en") == "€1,234.50"
    assert money(None, "de") == ""


def test_dates_and_times_follow_the_language_with_a_24_hour_clock() -> None:
    assert moment(EVENING, "de") == "05.12.2026 19:09"
    assert moment(EVENING, "en") == "5 Dec 2026, 19:09"
    assert day(EVENING, "de") == "05.12.2026" and day(EVENING, "en") == "5 Dec 2026"
    template = Template('{{ fee|money }} | {{ at|moment }} | {{ at|date:"SHORT_DATETIME_FORMAT" }}')
    for language, expected in (("de", "30,70\u00a0€ | 05.12.2026 19:09 | 05.12.2026 19:09"),
                               ("en", "€30.70 | 5 Dec 2026, 19:09 | 5 Dec 2026, 19:09")):  # fmt: skip
        with translation.override(language):
            rendered = template.render(Context({"fee": Decimal("30.70"), "at": EVENING}))
        assert rendered == expected
        assert "p.m." not in rendered and "12/05/2026" not in rendered


def test_mail_comes_from_the_municipality() -> None:
    assert sender("Stadt Gera") == "Stadt Gera <noreply@amtsplatz.example>"
    assert sender("Große Kreisstadt Wurzen").startswith("=?utf-8?")  # encoded, never garbled


@pytest.mark.django_db
def test_service_pages_use_citizen_headings_and_language_formats(gera: Any) -> None:
    offer("gera", "bewohnerparkausweis")
    client = Client(HTTP_HOST="gera.localhost")
    german = client.get("/leistungen/bewohnerparkausweis/").content.decode()
    for heading in ("Worum geht es?", "Was brauche ich?", "Was kostet es?", "Wie lange dauert es?"):
        assert f">{heading}</h2>" in german
    assert "Volltext" not in german and "Kurztext" not in german
    assert "30,70\u00a0€" in german
    english = client.get("/en/leistungen/bewohnerparkausweis/").content.decode()
    for heading in ("What is it about?", "What do I need?", "What does it cost?", "How long does it take?"):
        assert f">{heading}</h2>" in english
    assert "€30.70" in english and "30.70 €" not in english and "30,70" not in english


def test_untranslated_texts_are_marked_german() -> None:
    assert _fallback({"de": "Nur Deutsch"}, "en") == "de"
    assert _fallback({"de": "Deutsch", "en": "English"}, "en") == ""
    assert _fallback({"de": "Deutsch"}, "de") == ""


@pytest.mark.django_db
def test_only_life_situations_with_services_are_offered(gera: Any) -> None:
    offer("gera", "hundesteuer-anmeldung")
    with schema_context("gera"):
        present = {value for service in offered_services(language="de") for value in service.life_situations}
    client = Client(HTTP_HOST="gera.localhost")
    page = client.get("/leistungen/").content.decode()
    select = page[page.index('name="lebenslage"') : page.index("</select>", page.index('name="lebenslage"'))]
    assert set(re.findall(r'<option value="([a-z-]+)"', select)) == present
    for situation in present:
        listed = client.get(f"/leistungen/?lebenslage={situation}").content.decode()
        assert "Keine Leistung passt" not in listed
