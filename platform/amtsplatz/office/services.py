"""Writes of the cooperation office: lifecycle actions on municipalities, each one audit-logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from amtsplatz.office.audit import office_action_record
from amtsplatz.office.models import OfficeAction, ServiceBundle
from tenants.models import Municipality, SuspensionReason
from tenants.services import municipality_resume, municipality_suspend

if TYPE_CHECKING:
    from amtsplatz.office.forms import BundleForm

Actor = AbstractBaseUser | AnonymousUser | None


@transaction.atomic
def office_suspend(*, municipality: Municipality, actor: Actor, note: str = "") -> bool:
    """Suspend a portal for the office: citizens see a maintenance page, staff read only; nothing is deleted."""
    changed = municipality_suspend(municipality=municipality, reason=SuspensionReason.OFFICE)
    office_action_record(
        kind=OfficeAction.Kind.SUSPEND, actor=actor, municipality=municipality, succeeded=changed, note=note
    )
    return changed


@transaction.atomic
def office_resume(*, municipality: Municipality, actor: Actor, note: str = "") -> bool:
    """Make a suspended portal active again, whatever suspended it (the office may lift a billing suspension)."""
    reason = municipality.suspended_for
    changed = municipality_resume(municipality=municipality)
    office_action_record(
        kind=OfficeAction.Kind.RESUME,
        actor=actor,
        municipality=municipality,
        succeeded=changed,
        note=note,
        lifted=reason,
    )
    return changed


@transaction.atomic
def bundle_save(*, form: BundleForm, actor: Actor) -> ServiceBundle:
    """Store a recommended service bundle from its validated form."""
    bundle: ServiceBundle = form.save()
    office_action_record(
        kind=OfficeAction.Kind.BUNDLE, actor=actor, bundle=bundle.name, services=bundle.services.count()
    )
    return bundle
