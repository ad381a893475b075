"""The audit log of the office: one row per action, written by the service that acts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from amtsplatz.office.models import OfficeAction
from tenants.models import Municipality


def office_action_record(
    *,
    kind: OfficeAction.Kind,
    actor: AbstractBaseUser | AnonymousUser | None,
    municipality: Municipality | None = None,
    succeeded: bool = True,
    **detail: Any,
) -> OfficeAction:
    """Write one entry of the audit log (inside the caller's transaction, so it shares its fate)."""
    user = actor if isinstance(actor, User) else None
    return OfficeAction.objects.create(
        kind=kind,
        actor=user,
        actor_name=user.get_username() if user is not None else str(detail.pop("actor_name", "")),
        municipality=municipality,
        municipality_slug=municipality.slug if municipality is not None else str(detail.pop("slug", "")),
        succeeded=succeeded,
        detail=detail,
    )
