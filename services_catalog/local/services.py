"""Writes on a municipality's adopted services (run inside its schema)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
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
