"""Small valid catalogue documents for tests."""

from __future__ import annotations

import copy
from typing import Any

from services_catalog.models import ServiceDefinition
from services_catalog.services import definition_save_draft, service_publish

PARKING_FORM: dict[str, Any] = {
    "groups": [
        {
            "id": "fahrzeug",
            "title": {"de": "Fahrzeug", "en": "Vehicle"},
            "fields": [
                {"id": "kennzeichen", "kind": "input", "type": "text", "label": {"de": "Kennzeichen"},
                 "required": True, "max_length": 12, "pattern": "^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}$"},
                {"id": "gesamtmasse", "kind": "input", "type": "integer", "label": {"de": "Gesamtmasse (kg)"},
                 "required": True, "min_value": 100, "max_value": 40000},
                {"id": "halter", "kind": "input", "type": "bool", "label": {"de": "Ich bin Halter"}},
                {"id": "nachweis", "kind": "input", "type": "file", "label": {"de": "Nutzungsnachweis"},
                 "cardinality": "1:1", "max_size_mb": 5, "accept": ["application/pdf"],
                 "show_if": {"field": "halter", "op": "false"}},
            ],
        }
    ],
    "rules": [],
}  # fmt: skip


def service_document(key: str = "testparken", **overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": key,
        "leika_key": "",
        "name": {"de": "Testparkausweis", "en": "Test parking permit"},
        "keywords": {"de": ["Anwohnerparken"], "en": ["parking"]},
        "addressees": ["citizen"],
        "trust_level": "low",
        "life_situations": ["mobilitaet"],
        "texts": {
            "kurztext": {"de": "Ein Ausweis zum Parken.", "en": "A permit to park."},
            "volltext": {"de": "Mit dem Ausweis parken Sie in Ihrer Zone."},
            "rechtsbehelf": {"de": "Widerspruch innerhalb eines Monats."},
        },
        "costs": {"kind": "fixed", "amount": "30.70", "in_advance": True},
        "deadlines": [{"kind": "validity", "duration": 1, "unit": "years"}],
        "processing_time": {"duration": 3, "unit": "days"},
        "online_application": True,
        "form_schema": copy.deepcopy(PARKING_FORM),
        "fee_rule": {"kind": "fixed", "amount": "30.70"},
        "decision_rule": {
            "rules": [
                {"when": {"field": "gesamtmasse", "op": "gt", "value": 3500}, "outcome": "reject",
                 "reason": {"de": "Nur Fahrzeuge bis 3,5 t."}},
                {"when": {"field": "halter", "op": "false"}, "outcome": "manual",
                 "reason": {"de": "Nutzungsnachweis wird geprüft."}},
            ],
            "otherwise": "approve",
        },
        "retention_days": 730,
    }  # fmt: skip
    document.update(overrides)
    return document


def published_service(key: str = "testparken", **overrides: Any) -> ServiceDefinition:
    definition = definition_save_draft(document=service_document(key, **overrides))
    service_publish(definition=definition)
    definition.refresh_from_db()
    return definition
