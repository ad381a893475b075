"""Writes on a municipality's adopted services (run inside its schema)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services_catalog.local.models import LocalService
from services_catalog.models import ServiceDefinition

OVERRIDE_FIELDS = (
    "pinned_version", "enabled", "online_available", "fee_amount", "office_name", "office_street",
    "office_postcode", "office_city", "office_phone", "office_email", "opening_hours",
    "local_note_de", "local_note_en",
)  # fmt: skip


def service_adopt(*, definition: ServiceDefinition, **overrides: Any) -> LocalService:
    """Offer a published shared service here, optionally with local details."""
    if definition.latest_version_id is None:
        raise ValidationError(_("Only published services can be adopted."))
    local, _created = LocalService.objects.get_or_create(definition=definition)
    return local_service_update(local=local, **overrides)


def local_service_update(*, local: LocalService, **overrides: Any) -> LocalService:
    """Change the named local overrides; any other field name is refused."""
    unknown = set(overrides) - set(OVERRIDE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields come from the shared catalogue and cannot be overridden: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in overrides.items():
        setattr(local, name, value)
    local.full_clean()
    local.save()
    return local


@dataclass(frozen=True)
class OfferResult:
    adopted: list[str]
    dropped: list[str]
    unchanged: int
    unknown: list[str]


@transaction.atomic
def services_offer(*, keys: list[str]) -> OfferResult:
    """Offer exactly the published services named by ``keys``: adopt or switch on the new ones, switch off the rest.

    Dropped services keep their local details and their applications (only ``enabled`` goes off).
    """
    wanted = set(keys)
    definitions = {d.key: d for d in ServiceDefinition.objects.filter(latest_version__isnull=False)}
    unknown = sorted(wanted - set(definitions))
    adopted, dropped, unchanged = [], [], 0
    locals_by_key = {local.definition.key: local for local in LocalService.objects.select_related("definition")}
    for key, definition in sorted(definitions.items()):
        local = locals_by_key.get(key)
        offered = local is not None and local.enabled
        if key in wanted and not offered:
            service_adopt(definition=definition, enabled=True)
            adopted.append(key)
        elif key not in wanted and offered and local is not None:
            local_service_update(local=local, enabled=False)
            dropped.append(key)
        else:
            unchanged += 1
    return OfferResult(adopted, dropped, unchanged, unknown)


@transaction.atomic
def services_adopt(*, keys: list[str], **overrides: Any) -> list[str]:
    """Adopt the published services named by ``keys`` (a bundle) with the same local details; returns those adopted.

    Unpublished or unknown keys are skipped: a bundle may name a service the catalogue has withdrawn.
    """
    definitions = ServiceDefinition.objects.filter(key__in=keys, latest_version__isnull=False).order_by("key")
    return [service_adopt(definition=definition, **overrides).definition.key for definition in definitions]
