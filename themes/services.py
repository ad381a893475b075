"""Writes on a municipality's branding (run inside its schema)."""

from __future__ import annotations

from wagtail.models import Site

from themes.models import Branding


def branding_set(
    *,
    site: Site,
    municipality_name: str,
    primary_colour: str | None = None,
    secondary_colour: str | None = None,
) -> Branding:
    """Store name and colours of a portal; colours left as None keep their current value."""
    branding = Branding.for_site(site)
    branding.municipality_name = municipality_name
    if primary_colour:
        branding.primary_colour = primary_colour
    if secondary_colour:
        branding.secondary_colour = secondary_colour
    branding.full_clean()
    branding.save()
    return branding
