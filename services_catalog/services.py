"""Writes on the shared catalogue (public schema): drafts, publishing, import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from services_catalog.exchange import (
    CONTENT_FIELDS,
    FORMAT,
    FORMAT_VERSION,
    apply_document,
    content_to_document,
    normalised,
)
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.validation import validate_service


def definition_save_draft(
    *, document: dict[str, Any], definition: ServiceDefinition | None = None
) -> ServiceDefinition:
    """Create a definition or replace its draft with ``document`` after validating it."""
    validate_service(document).raise_if_any()
    if definition is None:
        definition = ServiceDefinition(key=document["key"])
    elif definition.key != document["key"]:
        raise ValidationError({"key": _("The key of a definition cannot change.")})
    apply_document(definition, document)
    definition.full_clean()
    definition.save()
    return definition


def definition_has_unpublished_changes(definition: ServiceDefinition) -> bool:
    if definition.latest_version is None:
        return True
    return content_to_document(definition, definition.key) != content_to_document(
        definition.latest_version, definition.key
    )


@transaction.atomic
def service_publish(*, definition: ServiceDefinition, user: User | None = None) -> ServiceVersion:
    """Freeze the draft as the next version; every municipality following "latest" sees it at once."""
    definition = ServiceDefinition.objects.select_for_update().get(pk=definition.pk)
    validate_service(content_to_document(definition, definition.key)).raise_if_any()
    if not definition_has_unpublished_changes(definition):
        raise ValidationError(_("Nothing to publish: the draft equals the latest version."))
    number = (definition.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ServiceVersion(definition=definition, number=number, published_by=user)
    version.name_de, version.name_en = definition.name_de, definition.name_en
    for name in CONTENT_FIELDS:
        setattr(version, name, getattr(definition, name))
    version.save()
    definition.latest_version = version
    definition.save(update_fields=["latest_version", "updated"])
    return version


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def catalogue_validate(payload: Any) -> list[str]:
    """Every problem of an import file, each naming its entry and field; empty when valid."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        return [_('The file is not an Amtsplatz catalogue (expected "format": "%(format)s").') % {"format": FORMAT}]
    if payload.get("format_version") != FORMAT_VERSION:
        return [_("Unsupported format_version %(version)s; expected %(expected)s.") % {
            "version": payload.get("format_version"), "expected": FORMAT_VERSION}]  # fmt: skip
    services = payload.get("services")
    if not isinstance(services, list):
        return [_('"services" must be a list.')]
    problems: list[str] = []
    seen: set[str] = set()
    for index, document in enumerate(services):
        key = document.get("key") if isinstance(document, dict) else None
        label = f"services[{index}] ({key or '?'})"
        problems += [f"{label}.{message}" for message in validate_service(document).messages()]
        if key in seen:
            problems.append(f"{label}.key: " + _("appears twice in the file"))
        seen.add(str(key))
    return problems


@transaction.atomic
def catalogue_import(
    payload: Any,
    *,
    user: User | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> ImportReport:
    """Import a catalogue file all or nothing; publish only what differs from the latest version."""
    problems = catalogue_validate(payload)
    if problems:
        raise ValidationError(problems)
    report = ImportReport()
    services = payload["services"]
    existing = {d.key: d for d in ServiceDefinition.objects.select_related("latest_version")}
    for index, document in enumerate(services, start=1):
        key = document["key"]
        definition = existing.get(key)
        target = normalised(document)
        if (
            definition
            and definition.latest_version
            and content_to_document(definition.latest_version, key) == target
            and content_to_document(definition, key) == target
        ):
            report.unchanged.append(key)
        else:
            created = definition is None
            definition = definition_save_draft(document=target, definition=definition)
            service_publish(definition=definition, user=user)
            (report.created if created else report.published).append(key)
        if progress:
            progress(index, len(services), key)
    return report
