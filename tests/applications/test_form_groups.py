"""Nested, repeatable and conditional groups with their own rules: one engine for web and API."""

from __future__ import annotations

from typing import Any

from django.utils.datastructures import MultiValueDict

from applications.schema_forms import SchemaStepForm, step_initial, validate_data
from services_catalog.errors import SchemaErrors
from services_catalog.validation import validate_form_schema


def _text(de: str) -> dict[str, str]:
    return {"de": de, "en": de}


SCHEMA: dict[str, Any] = {
    "groups": [
        {
            "id": "antrag",
            "title": _text("Antrag"),
            "fields": [
                {"id": "name", "kind": "input", "type": "text", "label": _text("Name"), "required": True},
                {"id": "hat_kinder", "kind": "input", "type": "bool", "label": _text("Kinder?")},
            ],
            "groups": [
                {
                    "id": "anschrift",
                    "title": _text("Anschrift"),
                    "fields": [{"id": "ort", "kind": "input", "type": "text", "label": _text("Ort"), "required": True}],
                },
                {
                    "id": "kinder",
                    "title": _text("Kinder"),
                    "repeat": {"min": 1, "max": 3},
                    "show_if": {"field": "hat_kinder", "op": "true"},
                    "fields": [
                        {"id": "vorname", "kind": "input", "type": "text", "label": _text("Vorname"), "required": True},
                        {"id": "geboren", "kind": "input", "type": "date", "label": _text("Geboren")},
                        {"id": "bis", "kind": "input", "type": "date", "label": _text("Betreut bis")},
                    ],
                    "rules": [
                        {
                            "id": "bis_nach_geboren",
                            "when": {
                                "all": [{"field": "bis", "op": "not_empty"}, {"field": "geboren", "op": "not_empty"}]
                            },
                            "require": {"field": "bis", "op": "ge", "value": {"field": "geboren"}},
                            "field": "bis",
                            "message": _text("Betreut bis muss nach der Geburt liegen."),
                        }
                    ],
                },
            ],
        }
    ]
}


def test_the_schema_with_nested_repeatable_and_conditional_groups_is_valid() -> None:
    errors = SchemaErrors()
    assert validate_form_schema(SCHEMA, "form_schema", errors) == {
        "name",
        "hat_kinder",
        "ort",
        "vorname",
        "geboren",
        "bis",
    }
    assert not errors, errors.messages()


def test_meta_schema_refuses_bad_repeat_and_rules_outside_the_group() -> None:
    group = SCHEMA["groups"][0]["groups"][1]
    broken = {"groups": [{**SCHEMA["groups"][0], "groups": [{**group, "repeat": {"min": 4, "max": 2},
              "rules": [{**group["rules"][0], "field": "name"}]}]}]}  # fmt: skip
    errors = SchemaErrors()
    validate_form_schema(broken, "form_schema", errors)
    paths = [path for path, _message in errors.items]
    assert "form_schema.groups[0].groups[0].repeat" in paths
    assert "form_schema.groups[0].groups[0].rules[0].field" in paths


def test_api_validation_returns_nested_entries_and_checks_each_one() -> None:
    data = {
        "name": "Erika",
        "ort": "Gera",
        "hat_kinder": True,
        "kinder": [
            {"vorname": "Max", "geboren": "2020-01-01", "bis": "2026-01-01"},
            {"vorname": "", "geboren": "2021-05-01", "bis": "2020-01-01"},
        ],
    }
    clean, errors = validate_data(SCHEMA, data)
    assert errors == {
        "kinder[1].vorname": ["Bitte füllen Sie dieses Feld aus."],
        "kinder[1].bis": ["Betreut bis muss nach der Geburt liegen."],
    }
    assert clean["kinder"][0] == {"vorname": "Max", "geboren": "2020-01-01", "bis": "2026-01-01"}


def test_minimum_and_maximum_entries_are_enforced() -> None:
    too_many = [{"vorname": f"Kind {n}"} for n in range(4)]
    _clean, errors = validate_data(SCHEMA, {"name": "E", "ort": "G", "hat_kinder": True, "kinder": too_many})
    assert list(errors) == ["kinder"]
    _clean, errors = validate_data(SCHEMA, {"name": "E", "ort": "G", "hat_kinder": True, "kinder": []})
    assert list(errors) == ["kinder[0].vorname"]  # the minimum entry is shown and must be filled


def test_a_conditional_group_is_neither_validated_nor_stored_when_hidden() -> None:
    data = {"name": "E", "ort": "G", "hat_kinder": False, "kinder": [{"vorname": ""}]}
    clean, errors = validate_data(SCHEMA, data)
    assert errors == {}
    assert "kinder" not in clean


def test_nested_plain_group_fields_are_required_like_any_other() -> None:
    _clean, errors = validate_data(SCHEMA, {"name": "E", "hat_kinder": False})
    assert list(errors) == ["ort"]


def test_unknown_keys_inside_entries_and_non_lists_are_errors_not_dropped() -> None:
    _clean, errors = validate_data(
        SCHEMA, {"name": "E", "ort": "G", "hat_kinder": True, "kinder": [{"vorname": "A", "x": 1}]}
    )
    assert list(errors) == ["kinder[0].x"]
    _clean, errors = validate_data(SCHEMA, {"name": "E", "ort": "G", "hat_kinder": True, "kinder": "A"})
    assert "kinder" in errors


def test_web_step_uses_the_same_rules_and_keeps_entries() -> None:
    posted = MultiValueDict(
        {"name": ["Erika"], "ort": ["Gera"], "hat_kinder": ["true"], "kinder-count": ["2"],
         "kinder-0-vorname": ["Max"], "kinder-0-geboren": ["2020-01-01"], "kinder-0-bis": ["2019-01-01"],
         "kinder-1-vorname": [""], "kinder-1-geboren": [""], "kinder-1-bis": [""]}
    )  # fmt: skip
    form = SchemaStepForm(SCHEMA, 0, data=posted)
    assert not form.is_valid()
    assert list(form.errors) == ["kinder-0-bis"]  # the empty second entry is optional and dropped
    posted["kinder-0-bis"] = "2026-01-01"
    form = SchemaStepForm(SCHEMA, 0, data=posted)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["kinder"] == [{"vorname": "Max", "geboren": "2020-01-01", "bis": "2026-01-01"}]
    again = SchemaStepForm(SCHEMA, 0, initial=step_initial(SCHEMA, 0, form.cleaned_data | {"name": "Erika"}))
    assert again.counts["kinder"] == 1
    assert again.initial["kinder-0-vorname"] == "Max"
    kinds = [item.kind for item in again.items]
    assert kinds.count("open") == kinds.count("close") and "add" in kinds
