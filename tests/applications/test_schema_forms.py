"""Schema forms: fields built once per process, yet each form its own, in the language asked for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation

from applications.schema_forms import SchemaStepForm, validate_data
from tests.catalogue.factories import service_document

SCHEMA = service_document()["form_schema"]
BAD_VALUES = {"kennzeichen": "G AB 123", "gesamtmasse": 50, "halter": True}


def test_what_one_form_changes_on_its_fields_stays_in_that_form() -> None:
    first = SchemaStepForm(SCHEMA, 0)
    first.fields["kennzeichen"].widget.attrs["aria-invalid"] = "true"
    first.fields["gesamtmasse"].label = "Changed by a view"
    second = SchemaStepForm(SCHEMA, 0)
    assert "aria-invalid" not in second.fields["kennzeichen"].widget.attrs
    assert second.fields["kennzeichen"].widget.attrs["aria-required"] == "true"
    assert second.fields["gesamtmasse"].label == "Gesamtmasse (kg)"


def _state(field: forms.Field) -> tuple[Any, ...]:
    choices = list(getattr(field, "choices", []))
    return (field.label, field.required, field.initial, dict(field.widget.attrs), dict(field.error_messages),
            list(field.validators), choices)  # fmt: skip


def test_validating_without_copies_leaves_the_shared_fields_as_they_were() -> None:
    groups = range(len(SCHEMA["groups"]))
    shared = [SchemaStepForm(SCHEMA, index, validate_only=True).fields for index in groups]
    before = [{name: _state(field) for name, field in fields.items()} for fields in shared]
    first = validate_data(SCHEMA, BAD_VALUES, language="de")
    validate_data(SCHEMA, {**BAD_VALUES, "kennzeichen": "G-AB 123", "gesamtmasse": 1500}, language="de")
    assert validate_data(SCHEMA, BAD_VALUES, language="de") == first
    assert [{name: _state(field) for name, field in fields.items()} for fields in shared] == before
    assert SchemaStepForm(SCHEMA, 0, validate_only=True).fields["kennzeichen"] is shared[0]["kennzeichen"]
    assert SchemaStepForm(SCHEMA, 0).fields["kennzeichen"] is not shared[0]["kennzeichen"]


def test_messages_follow_the_active_language_after_the_fields_were_built() -> None:
    with translation.override("de"):
        _clean, german = validate_data(SCHEMA, BAD_VALUES, language="de")
    with translation.override("en"):  # the same form language: only the active one differs
        _clean, english = validate_data(SCHEMA, BAD_VALUES, language="de")
    assert german == {
        "kennzeichen": ["Bitte prüfen Sie das Format: die Eingabe hat nicht die erwartete Form"],
        "gesamtmasse": ["Bitte geben Sie mindestens 100 ein."],
    }
    assert english == {
        "kennzeichen": ["Please check the format: it does not match the expected pattern"],
        "gesamtmasse": ["Please enter a value of at least 100."],
    }
