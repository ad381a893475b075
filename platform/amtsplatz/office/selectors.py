"""Reads of the cooperation office."""

from __future__ import annotations

from django.db.models import QuerySet

from amtsplatz.office.models import MunicipalityExport, OfficeAction
from tenants.models import Municipality


def audit_log(*, municipality: Municipality | None = None, limit: int = 200) -> QuerySet[OfficeAction]:
    """The newest entries of the audit log, of one municipality or of all."""
    actions = OfficeAction.objects.all()
    if municipality is not None:
        actions = actions.filter(municipality_slug=municipality.slug)
    return actions[:limit]


def exports_of(*, municipality: Municipality, limit: int = 20) -> QuerySet[MunicipalityExport]:
    """The newest exports of a municipality, finished or not."""
    return MunicipalityExport.objects.filter(municipality_slug=municipality.slug)[:limit]
