"""Schema forms: fields built once per process, yet each form its own, in the language asked for."""

from __future__ import annotations

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
