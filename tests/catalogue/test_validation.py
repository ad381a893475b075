"""The meta-schema refuses invalid forms and rules, naming the path of the problem."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from services_catalog.conditions import evaluate, validate_condition
from services_catalog.errors import SchemaErrors
from services_catalog.rules import compute_fee, decide
from services_catalog.services import definition_save_draft
from services_catalog.validation import validate_service
from tests.catalogue.factories import service_document


def _messages(document: dict[str, Any]) -> list[str]:
    return validate_service(document).messages()


def test_complete_document_is_valid() -> None:
    assert _messages(service_document()) == []
    variable = {"kind": "variable", "note": {"de": "nach der Gebührensatzung Ihrer Gemeinde"}}
    assert _messages(service_document(costs=variable)) == []


@pytest.mark.parametrize(
    ("change", "expected_path"),
    [
        (lambda d: d["form_schema"]["groups"][0]["fields"][0].update(type="txt"),
         "form_schema.groups[0].fields[0].type"),
        (lambda d: d["form_schema"]["groups"][0]["fields"][3].update(show_if={"field": "farbe", "op": "eq"}),
         "form_schema.groups[0].fields[3].show_if.field"),
        (lambda d: d["form_schema"]["groups"][0]["fields"][1].update(kind="select"),
         "form_schema.groups[0].fields[1].code_list"),
        (lambda d: d["form_schema"]["groups"][0]["fields"][3].update(cardinality="3:1"),
         "form_schema.groups[0].fields[3].cardinality"),
        (lambda d: d["form_schema"]["groups"][0]["fields"][0].update(pattern="(["),
         "form_schema.groups[0].fields[0].pattern"),
        (lambda d: d["form_schema"]["groups"][0]["fields"][2].update(id="kennzeichen"),
         "form_schema.groups[0].fields[2].id"),
        (lambda d: d["decision_rule"]["rules"][0].update(outcome="maybe"), "decision_rule.rules[0].outcome"),
        (lambda d: d["decision_rule"]["rules"][0]["when"].update(op="between"), "decision_rule.rules[0].when.op"),
        (lambda d: d.update(fee_rule={"kind": "computed", "terms": [{"amount": "1.00", "per": "flaeche"}]}),
         "fee_rule.terms[0].per"),
        (lambda d: d.update(fee_rule={"kind": "fixed", "amount": "12,50"}), "fee_rule.amount"),
        (lambda d: d.update(leika_key="9905004826200"), "leika_key"),
        (lambda d: d["texts"].pop("volltext"), "texts.volltext.de"),
        (lambda d: d.update(form_schema=None), "form_schema"),
        (lambda d: d.update(costs={"kind": "variable"}), "costs.note.de"),
        (lambda d: d.update(costs={"kind": "lokal"}), "costs.kind"),
    ],
)  # fmt: skip
def test_invalid_content_is_refused_with_its_path(change: Any, expected_path: str) -> None:
    document = copy.deepcopy(service_document())
    change(document)
    messages = _messages(document)
    assert any(message.startswith(f"{expected_path}:") for message in messages), messages


@pytest.mark.django_db
def test_saving_an_invalid_draft_raises_and_stores_nothing() -> None:
    from services_catalog.models import ServiceDefinition

    document = service_document()
    document["form_schema"]["groups"][0]["fields"][0]["type"] = "txt"
    with pytest.raises(ValidationError) as excinfo:
        definition_save_draft(document=document)
    assert "form_schema.groups[0].fields[0].type" in str(excinfo.value)
    assert not ServiceDefinition.objects.filter(key="testparken").exists()


def test_conditions_compare_numbers_dates_and_lists() -> None:
    data = {"masse": 3600, "datum": "2026-01-05", "zone": "zone-b", "halter": True, "notiz": ""}
    assert evaluate({"field": "masse", "op": "gt", "value": 3500}, data)
    assert not evaluate({"field": "masse", "op": "le", "value": 3500}, data)
    assert evaluate({"field": "datum", "op": "lt", "value": "today"}, data)
    assert evaluate({"field": "zone", "op": "in", "value": ["zone-a", "zone-b"]}, data)
    assert evaluate({"all": [{"field": "halter", "op": "true"}, {"field": "notiz", "op": "empty"}]}, data)
    assert evaluate(
        {"not": {"any": [{"field": "halter", "op": "false"}, {"field": "zone", "op": "eq", "value": "x"}]}},
        data,
    )


def test_conditions_compare_two_fields() -> None:
    until_after_from = {"field": "bis", "op": "ge", "value": {"field": "von"}}
    assert evaluate(until_after_from, {"von": "2026-05-01", "bis": "2026-05-03"})
    assert not evaluate(until_after_from, {"von": "2026-05-04", "bis": "2026-05-03"})
    assert not evaluate(until_after_from, {"von": "", "bis": "2026-05-03"})
    errors = SchemaErrors()
    with translation.override("en"):  # whatever language an earlier test left active
        validate_condition(
            {"field": "bis", "op": "ge", "value": {"field": "vom"}}, "rules[0].require", {"von", "bis"}, errors
        )
    assert errors.messages() == ["rules[0].require.value.field: refers to unknown field 'vom'"]


def test_fee_rules_compute_fixed_and_per_unit_amounts() -> None:
    assert compute_fee({"kind": "free"}, {}) == Decimal("0.00")
    assert compute_fee({"kind": "fixed", "amount": "30.70"}, {}) == Decimal("30.70")
    rule = {
        "kind": "computed",
        "terms": [
            {"amount": "25.00"},
            {"amount": "1.50", "per": "flaeche_qm"},
            {"amount": "10.00", "when": {"field": "gewerblich", "op": "true"}},
        ],
        "maximum": "500.00",
    }
    assert compute_fee(rule, {"flaeche_qm": 10, "gewerblich": False}) == Decimal("40.00")
    assert compute_fee(rule, {"flaeche_qm": 10, "gewerblich": True}) == Decimal("50.00")
    assert compute_fee(rule, {"flaeche_qm": 1000}) == Decimal("500.00")


def test_decision_rule_first_match_wins() -> None:
    rule = service_document()["decision_rule"]
    assert decide(rule, {"gesamtmasse": 3600, "halter": False}).outcome == "reject"
    assert decide(rule, {"gesamtmasse": 1500, "halter": False}).outcome == "manual"
    decision = decide(rule, {"gesamtmasse": 1500, "halter": True})
    assert decision.outcome == "approve"
