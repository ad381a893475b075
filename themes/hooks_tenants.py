"""What themes contributes to a new municipality's schema and its maintenance page (``tenants.hooks``)."""

from __future__ import annotations

from typing import Any

from wagtail.models import Site

from tenants.hooks import NewPortal
from themes.selectors import current_branding
from themes.services import branding_set, legal_details_set


def portal_setup(portal: NewPortal) -> None:
    """Name, appearance and legal details of the new portal (raises ValidationError on a bad value)."""
    site = Site.objects.get(is_default_site=True)
    branding_set(site=site, municipality_name=portal.name, **portal.appearance)
    legal_details_set(site=site, **portal.legal)


def maintenance_context() -> dict[str, Any]:
    return {"branding": current_branding()}
