"""Conversion between catalogue rows and SERVICE documents (docs/catalogue-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from services_catalog.models import ServiceContent

FORMAT = "amtsplatz-catalogue"
FORMAT_VERSION = 1
CONTENT_FIELDS = (
    "leika_key", "keywords", "addressees", "trust_level", "responsibility_level", "life_situations", "texts", "costs",
    "deadlines", "processing_time", "written_form_required", "personal_appearance_required",
    "appointment_minutes", "online_application", "form_schema", "fee_rule", "decision_rule", "decision_title",
    "retention_days",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "leika_key": "", "keywords": {}, "addressees": [], "trust_level": "low",
    "responsibility_level": "municipality", "life_situations": [],
    "texts": {}, "costs": {"kind": "free"}, "deadlines": [], "processing_time": None,
    "written_form_required": False, "personal_appearance_required": False, "appointment_minutes": None,
    "online_application": False, "form_schema": None, "fee_rule": None, "decision_rule": None,
    "decision_title": {}, "retention_days": 365,
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


class CatalogueFileError(ValueError):
    """A catalogue file that cannot be read; the message names the file and what to fix."""


def catalogue_files_read(paths: Iterable[Path]) -> dict[str, Any]:
    """One catalogue document from files and folders (every ``*.json`` in a folder, by name).

    The seed is split by topic into several files; they are imported together, so an import stays
    all or nothing and a key that appears in two files is reported like any duplicate.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise CatalogueFileError(_("No .json files in folder %(path)s.") % {"path": path})
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogueFileError(_("File not found: %(path)s") % {"path": path})
    services: list[Any] = []
    for file in files:
        try:
            payload = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CatalogueFileError(
                _("%(path)s is not valid JSON (line %(line)s, column %(column)s): %(error)s")
                % {"path": file, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
            ) from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise CatalogueFileError(
                _('%(path)s is not an Amtsplatz catalogue (expected "format": "%(format)s").')
                % {"path": file, "format": FORMAT}
            )
        if payload.get("format_version") != FORMAT_VERSION or not isinstance(payload.get("services"), list):
            raise CatalogueFileError(
                _('%(path)s: expected "format_version": %(version)s and a list "services".')
                % {"path": file, "version": FORMAT_VERSION}
            )
        services += payload["services"]
    return export_document(services)
