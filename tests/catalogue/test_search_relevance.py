"""Everyday queries find the right service first (German stemming, keywords, compounds)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from services_catalog.local.selectors import offered_services
from services_catalog.selectors import catalogue_search
from services_catalog.services import ImportReport

RELEVANCE_SET = [
    ("Hund anmelden", "hundesteuer-anmeldung"),
    ("Hundesteuer", "hundesteuer-anmeldung"),
    ("Hund abmelden", "hundesteuer-abmeldung"),
    ("Hund gestorben", "hundesteuer-abmeldung"),
    ("Parkausweis Anwohner", "bewohnerparkausweis"),
    ("Anwohnerparken", "bewohnerparkausweis"),
    ("Bewohnerparken", "bewohnerparkausweis"),
    ("Umzug melden", "wohnsitz-anmeldung"),
    ("neue Wohnung anmelden", "wohnsitz-anmeldung"),
    ("Sperrmüll", "sperrmuell"),
    ("alte Möbel entsorgen", "sperrmuell"),
    ("Meldebescheinigung", "meldebescheinigung"),
    ("Gewerbe anmelden", "gewerbeanmeldung"),
    ("Gewerbeanmeldung", "gewerbeanmeldung"),
    ("Baum fällen", "baumfaellgenehmigung"),
    ("Straßenfest anmelden", "veranstaltungsanzeige"),
    ("Schlüssel verloren", "fundsache"),
    ("Fundbüro", "fundsache"),
    ("Behindertenparkplatz", "parkerleichterung-behinderung"),
    ("blauer Parkausweis", "parkerleichterung-behinderung"),
    ("Führungszeugnis", "fuehrungszeugnis"),
    ("Auskunftssperre", "auskunftssperre"),
    ("Wohngeld", "wohngeld"),
    ("Zuschuss zur Miete", "wohngeld"),
    ("Baugerüst auf Gehweg", "sondernutzungserlaubnis"),
    ("Container auf der Straße", "sondernutzungserlaubnis"),
    # Everyday phrasings for the services added with issue 21 (none uses the official name).
    ("Perso abgelaufen", "personalausweis"),
    ("neuer Ausweis", "personalausweis"),
    ("Pass für Urlaub in den USA", "reisepass"),
    ("PIN vergessen", "eid-pin"),
    ("Portemonnaie geklaut", "ausweis-verlust"),
    ("bin umgezogen", "wohnsitz-ummeldung"),
    ("ziehe ins Ausland", "wohnsitz-abmeldung"),
    ("Baby geboren", "geburt-beurkundung"),
    ("wir wollen heiraten", "eheschliessung"),
    ("Auto anmelden", "kfz-zulassung"),
    ("Gebrauchtwagen gekauft", "kfz-umschreibung"),
    ("Auto verschrotten", "kfz-abmeldung"),
    ("grauer Lappen", "fuehrerschein-umtausch"),
    ("Führerschein verloren", "fuehrerschein-ersatz"),
    ("Mietwagen USA Führerschein", "fuehrerschein-international"),
    ("Haus bauen", "baugenehmigung"),
    ("Kindergarten anmelden", "kita-platz"),
    ("Vater zahlt keinen Unterhalt", "unterhaltsvorschuss"),
    ("Hartz IV", "buergergeld"),
    ("Klassenfahrt bezahlen", "bildung-und-teilhabe"),
    ("Biotonne bestellen", "abfallbehaelter"),
    ("Farbreste entsorgen", "schadstoffmobil"),
    ("Kneipe eröffnen", "gaststaettenerlaubnis"),
    ("Halteverbot Umzug", "halteverbot-umzug"),
    ("Angelschein", "fischereischein"),
    ("Zeugnis beglaubigen", "beglaubigung"),
    ("Schlagloch", "strassenschaden-melden"),
    ("Briefwahl", "briefwahl"),
    ("Geburtsurkunde", "personenstandsurkunde"),
    ("child benefit", "kindergeld"),
    ("register a car", "kfz-zulassung"),
    ("lost passport", "ausweis-verlust"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), RELEVANCE_SET)
def test_query_finds_expected_service_first(seeded_catalogue: ImportReport, query: str, expected: str) -> None:
    with schema_context("gera"):
        results = offered_services(query=query)
    assert results, f"nothing found for {query!r}"
    assert results[0].key == expected, [service.key for service in results[:3]]
    assert catalogue_search(query=query)[0].key == expected
