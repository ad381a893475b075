"""Conversion between catalogue rows and SERVICE documents (docs/catalogue-format.md)."""

from __future__ import annotations

from typing import Any

from services_catalog.models import ServiceContent

FORMAT = "amtsplatz-catalogue"
FORMAT_VERSION = 1
CONTENT_FIELDS = (
    "leika_key", "keywords", "addressees", "trust_level", "responsibility_level", "life_situations", "texts", "costs",
    "deadlines", "processing_time", "written_form_required", "personal_appearance_required",
    "online_application", "form_schema", "fee_rule", "decision_rule", "retention_days",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "leika_key": "", "keywords": {}, "addressees": [], "trust_level": "low",
    "responsibility_level": "municipality", "life_situations": [],
    "texts": {}, "costs": {"kind": "free"}, "deadlines": [], "processing_time": None,
    "written_form_required": False, "personal_appearance_required": False,
    "online_application": False, "form_schema": None, "fee_rule": None, "decision_rule": None,
    "retention_days": 365,
}  # fmt: skip


def content_to_document(content: ServiceContent, key: str) -> dict[str, Any]:
    """The SERVICE document of a definition's draft or of a published version."""
    document: dict[str, Any] = {"key": key, "name": {"de": content.name_de, "en": content.name_en}}
    for field in CONTENT_FIELDS:
        document[field] = getattr(content, field)
    return document


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """A document with every optional key present, for comparison and storage."""
    complete = {**DEFAULTS, **document}
    complete["name"] = {"de": document["name"].get("de", ""), "en": document["name"].get("en", "")}
    return {key: complete[key] for key in ("key", "name", *CONTENT_FIELDS)}


def apply_document(content: ServiceContent, document: dict[str, Any]) -> None:
    """Copy a (validated) document onto a definition's draft fields."""
    complete = normalised(document)
    content.name_de = complete["name"]["de"]
    content.name_en = complete["name"]["en"]
    for field in CONTENT_FIELDS:
        setattr(content, field, complete[field])


def export_document(documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "services": documents}
