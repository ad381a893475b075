"""Once-only prefill: values an identity provider confirmed, or the citizen's own profile, put into the form
fields that ask for them.

A form field names what it asks for with an optional ``semantic`` key (docs/form-semantic-keys.md), never
by its id. Only plain (not repeated) fields are filled, and only with a value the field accepts. Values of
an identity provider are *verified*: the citizen sees them but cannot change them
(``applications.views.step``); values of the profile are suggestions the citizen may change.
"""

from __future__ import annotations

import datetime
from typing import Any

from applications.schema_forms import all_specs, scope_specs
from services_catalog.semantic import SEMANTIC_KEYS


def _plain_specs(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [spec for group in schema.get("groups", []) if "repeat" not in group for spec in scope_specs(group)]


def requested_keys(schema: dict[str, Any]) -> list[str]:
    """The semantic keys a form asks for: all an identity provider is asked to send (data minimisation)."""
    keys = {
        str(spec["semantic"]) for group in schema.get("groups", []) for spec in all_specs(group) if spec.get("semantic")
    }
    return [key for key in SEMANTIC_KEYS if key in keys]


def _accepted(spec: dict[str, Any], value: str) -> str | None:
    if spec.get("kind") == "select":
        return value if value in {str(item["value"]) for item in spec.get("code_list", [])} else None
    if spec.get("type") == "date":
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    if spec.get("kind") != "input" or spec.get("type", "text") not in ("text", "text_latin"):
        return None
    max_length = spec.get("max_length")
    return value if value and (not max_length or len(value) <= int(max_length)) else None


def field_values(schema: dict[str, Any], attributes: dict[str, str]) -> dict[str, str]:
    """Field id → value for every plain field whose semantic key ``attributes`` has a value for."""
    found: dict[str, str] = {}
    for spec in _plain_specs(schema):
        key = spec.get("semantic")
        if key and key in attributes and (value := _accepted(spec, attributes[key])) is not None:
            found[str(spec["id"])] = value
    return found
