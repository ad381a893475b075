"""The decision letter (Bescheid) as PDF, rendered by WeasyPrint from a template in the municipality's branding."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

SAFE_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
FALLBACK_COLOUR = "#1f2937"


@dataclass(frozen=True)
class Letterhead:
    municipality_name: str
    primary_colour: str
    office_name: str
    office_address: str
    office_phone: str
    office_email: str
    logo_data_uri: str = ""


@dataclass(frozen=True)
class Permit:
    """A printable permit page (e.g. the resident parking permit) after the letter."""

    title: str
    lines: list[tuple[str, str]]
    valid_from: datetime.date
    valid_until: datetime.date


@dataclass(frozen=True)
class DecisionDocument:
    letterhead: Letterhead
    language: str
    applicant_name: str
    applicant_address: str
    reference: str
    service_name: str
    outcome: str  # approve | reject
    reasons: str
    fee: Decimal | None
    fee_paid: bool
    legal_remedy: str
    decided_on: datetime.date
    decided_by: str
    permit: Permit | None = None


def _fee(document: DecisionDocument) -> str:
    if not document.fee:
        return ""
    amount = f"{document.fee:,.2f}"
    if document.language == "de":
        return amount.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".") + " €"
    return f"€{amount}"


def render_decision_html(document: DecisionDocument) -> str:
    """The letter as HTML (also used for previews and tests)."""
    colour = document.letterhead.primary_colour
    context: dict[str, Any] = {
        "document": document,
        "colour": colour if SAFE_COLOUR.match(colour or "") else FALLBACK_COLOUR,
        "fee": _fee(document),
        "logo": document.letterhead.logo_data_uri
        if document.letterhead.logo_data_uri.startswith("data:image/")
        else "",
        "parking": "park" in document.permit.title.lower() if document.permit else False,
    }
    with translation.override(document.language):
        return render_to_string("applications/documents/decision.html", context)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint may only read data: URIs that the template itself embeds."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return dict(default_url_fetcher(url))
    raise ValueError(f"Refusing to fetch {url!r} while rendering a decision document.")


def render_decision_pdf(document: DecisionDocument) -> bytes:
    """The letter as PDF/A-like bytes (no external resources)."""
    from weasyprint import HTML

    return bytes(HTML(string=render_decision_html(document), base_url=None, url_fetcher=_refuse_fetch).write_pdf())
