"""The shipped seed catalogue: broad, valid, bilingual, with a responsibility level everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context

from demo.seed import SEED_CATALOGUE, seed_catalogue
from services_catalog.constants import LifeSituation, ResponsibilityLevel
from services_catalog.exchange import catalogue_files_read
from services_catalog.local.selectors import offered_services
from services_catalog.services import ImportReport
from services_catalog.validation import validate_service

SERVICES: list[dict[str, Any]] = catalogue_files_read([SEED_CATALOGUE])["services"]
BY_KEY = {service["key"]: service for service in SERVICES}
# Tests and the demo refer to these keys; they must never change.
ORIGINAL_KEYS = {
    "bewohnerparkausweis", "hundesteuer-anmeldung", "hundesteuer-abmeldung", "wohnsitz-anmeldung",
    "meldebescheinigung", "gewerbeanmeldung", "sondernutzungserlaubnis", "baumfaellgenehmigung",
    "veranstaltungsanzeige", "sperrmuell", "fundsache", "parkerleichterung-behinderung", "fuehrungszeugnis",
    "auskunftssperre", "wohngeld", "anwohnerzufahrt",
}  # fmt: skip


def _bilingual_texts(value: Any, path: str) -> list[str]:
    """Paths of every text object below ``value`` that lacks its German or English version."""
    missing: list[str] = []
    if isinstance(value, dict):
        if set(value) <= {"de", "en"} and value and all(isinstance(text, str) for text in value.values()):
            return [path] if not (value.get("de", "").strip() and value.get("en", "").strip()) else []
        for key, item in value.items():
            missing += _bilingual_texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            missing += _bilingual_texts(item, f"{path}[{index}]")
    return missing


def test_the_seed_is_broad_and_keeps_the_original_keys() -> None:
    assert len(SERVICES) >= 80
    assert len(BY_KEY) == len(SERVICES), "a key appears twice"
    assert set(BY_KEY) >= ORIGINAL_KEYS


@pytest.mark.parametrize("key", sorted(BY_KEY))
def test_every_seed_service_is_valid_bilingual_and_has_a_level(key: str) -> None:
    service = BY_KEY[key]
    assert validate_service(service).messages() == []
    assert service.get("responsibility_level") in ResponsibilityLevel.values
    assert service["leika_key"] == ""  # never invented: none of them has been checked against LeiKa
    assert service["keywords"].get("de") and service["keywords"].get("en")
    assert service["life_situations"], "every service belongs to at least one life situation"
    # Every text (name, modules, notes, form labels, help, messages) exists in German and English.
    assert _bilingual_texts(service, key) == []
    if service["online_application"]:
        assert service["form_schema"] is not None


def test_general_responsibility_follows_who_the_citizen_goes_to() -> None:
    levels = {key: service["responsibility_level"] for key, service in BY_KEY.items()}
    assert levels["kfz-zulassung"] == levels["fuehrerschein-umtausch"] == ResponsibilityLevel.DISTRICT
    assert levels["elterngeld"] == ResponsibilityLevel.STATE
    assert levels["kindergeld"] == ResponsibilityLevel.FEDERAL
    # Filed at the municipality's registration office, issued by the Federal Office of Justice.
    assert levels["fuehrungszeugnis"] == ResponsibilityLevel.MUNICIPALITY
    assert set(levels.values()) >= {"municipality", "district", "state", "federal"}


@pytest.mark.django_db
def test_seeding_again_changes_nothing(seeded_catalogue: ImportReport) -> None:
    assert len(seeded_catalogue.created) + len(seeded_catalogue.published) + len(seeded_catalogue.unchanged) == len(
        SERVICES
    )
    again = seed_catalogue()
    assert (again.created, again.published) == ([], [])
    assert len(again.unchanged) == len(SERVICES)


@pytest.mark.django_db
@pytest.mark.parametrize("situation", LifeSituation.values)
def test_no_life_situation_leads_to_an_empty_page(seeded_catalogue: ImportReport, situation: str) -> None:
    with schema_context("gera"):
        offered = offered_services(life_situation=situation)
    assert len(offered) >= 2, f"{situation}: {[service.key for service in offered]}"
