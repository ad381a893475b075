"""Everyday queries find the right service first (German stemming, keywords, compounds)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from demo.seed import seed_catalogue
from services_catalog.local.selectors import offered_services
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from services_catalog.selectors import catalogue_search
from tenants.models import Municipality

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
]


@pytest.fixture
def gera_offers_everything(gera: Municipality) -> None:
    seed_catalogue()
    with schema_context("gera"):
        for definition in ServiceDefinition.objects.all():
            service_adopt(definition=definition)


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), RELEVANCE_SET)
def test_query_finds_expected_service_first(gera_offers_everything: None, query: str, expected: str) -> None:
    with schema_context("gera"):
        results = offered_services(query=query)
    assert results, f"nothing found for {query!r}"
    assert results[0].key == expected, [service.key for service in results[:3]]
    assert catalogue_search(query=query)[0].key == expected
