"""Writes of the FIM exchange: an imported form becomes a definition's draft (never published by itself)."""

from __future__ import annotations

from django.db import transaction

from services_catalog.exchange import content_to_document
from services_catalog.fim.xdatenfelder import ImportResult, import_form
from services_catalog.fim.xdatenfelder_export import export_form
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.services import definition_save_draft
from services_catalog.validation import validate_service


@transaction.atomic
def form_import(*, definition: ServiceDefinition, data: bytes, dry_run: bool = False) -> ImportResult:
    """Replace the draft's form schema with the XDatenfelder message ``data``; all or nothing.

    The report stays with the schema (``form_schema.fim.report``) so the office reads it before it
    publishes; publishing freezes the original XML and the FIM ids into the version.
    """
    result = import_form(data)
    document = content_to_document(definition, definition.key)
    document["form_schema"] = result.schema
    document["online_application"] = True
    if dry_run:
        validate_service(document).raise_if_any()
        return result
    definition_save_draft(document=document, definition=definition)
    return result


def version_export(version: ServiceVersion) -> bytes:
    """A published version's form as an XDatenfelder 3.0 message."""
    if not version.form_schema:
        raise ValueError(f"{version} has no form")
    return export_form(
        version.form_schema, key=version.definition.key, name=version.name_de, version=f"{version.number}.0"
    )
