"""Writes on a municipality's branding (run inside its schema)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from wagtail.models import Site

from themes.models import Branding, LegalDetails

LEGAL_FIELDS = (
    "authority_name", "street", "postcode", "city", "representative_role", "representative_name", "phone", "email",
    "supervisory_authority", "dpo_name", "dpo_email", "dpo_phone", "data_protection_authority",
    "accessibility_enforcement_body", "accessibility_evaluated_on", "accessibility_method",
)  # fmt: skip


def branding_set(*, site: Site, municipality_name: str, **appearance: str | None) -> Branding:
    """Store name and appearance of a portal; values left out or None keep their current value.

    ``appearance`` takes ``theme``, ``font``, ``primary_colour``, ``secondary_colour``, ``accent_colour``
    and the ``contact_*`` fields. Raises ``ValidationError`` (contrast included) and then stores nothing.
    """
    allowed = {"theme", "font", "primary_colour", "secondary_colour", "accent_colour"} | {
        name for name in vars(Branding) if name.startswith("contact_")
    }
    unknown = set(appearance) - allowed
    if unknown:
        raise TypeError(f"Unknown branding fields: {', '.join(sorted(unknown))}")
    branding: Branding = Branding.for_site(site)  # Wagtail is untyped
    branding.municipality_name = municipality_name
    for name, value in appearance.items():
        if value is not None:
            setattr(branding, name, value)
    branding.full_clean()
    branding.save()
    return branding


@transaction.atomic
def legal_details_set(*, site: Site, **facts: Any) -> LegalDetails:
    """Store the facts of the legal pages; values left out or None keep their current value.

    ``accessibility_evaluated_on`` takes a date or an ISO date string. Raises ``ValidationError`` and then
    stores nothing; an unknown field name is a programming error (TypeError).
    """
    unknown = set(facts) - set(LEGAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown legal details: {', '.join(sorted(unknown))}")
    details: LegalDetails = LegalDetails.for_site(site)  # Wagtail is untyped
    for name, value in facts.items():
        if value is None:
            continue
        if name == "accessibility_evaluated_on" and isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        setattr(details, name, value)
    details.full_clean()
    details.save()
    return details
