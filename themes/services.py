"""Writes on a municipality's branding (run inside its schema)."""

from __future__ import annotations

from wagtail.models import Site

from themes.models import Branding


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
