"""Reads of a municipality's branding for places without a request (e-mails, PDFs, tasks)."""

from __future__ import annotations

import base64

from wagtail.images.models import AbstractImage
from wagtail.models import Site

from themes import registry
from themes.models import Branding, LegalDetails


def current_branding() -> Branding:
    """The branding of the current schema's default site (unsaved defaults when there is none yet)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    return Branding.for_site(site) if site is not None else Branding()


def theme_for(branding: Branding) -> registry.Theme:
    return registry.theme(branding.theme)


def image_data_uri(image: AbstractImage | None, spec: str = "max-400x160|format-png") -> str:
    """A rendition of ``image`` as a ``data:`` URI (for PDFs, which must not fetch URLs); empty when unset."""
    if image is None:
        return ""
    rendition = image.get_rendition(spec)
    with rendition.file.open("rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:image/png;base64,{encoded}"


def current_legal_details() -> LegalDetails:
    """The legal details of the current schema's default site (unsaved, empty when there is none yet)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
    return LegalDetails.for_site(site) if site is not None else LegalDetails()
