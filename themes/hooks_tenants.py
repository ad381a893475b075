"""What themes contributes to a new municipality's schema and its maintenance page (``tenants.hooks``)."""

from __future__ import annotations

from typing import Any

from wagtail.models import Site

from tenants.hooks import NewPortal
from themes.selectors import current_branding
from themes.services import branding_set


def portal_setup(portal: NewPortal) -> None:
    """Name and appearance of the new portal (raises ValidationError on a failing colour pair)."""
    branding_set(site=Site.objects.get(is_default_site=True), municipality_name=portal.name, **portal.appearance)


def maintenance_context() -> dict[str, Any]:
    return {"branding": current_branding()}
