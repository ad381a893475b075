"""The decision letter (Bescheid) as PDF, rendered by WeasyPrint from a template in the municipality's branding."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation

TEMPLATE = "applications/documents/decision.html"
OUTCOMES = ("approve", "reject")
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
FALLBACK_COLOUR = "#1f2937"
LOGO_DATA_URI = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/]+={0,2}")
MIN_CONTRAST = 4.5  # WCAG AA for normal text on white paper


@dataclass(frozen=True)
class Letterhead:
    """The municipality's branding and the office that issues the decision."""

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
    """Everything the decision letter shows; texts are plain text and escaped when rendered."""

    letterhead: Letterhead
    language: str
    applicant_name: str
    applicant_address: str
    reference: str
    service_name: str
    outcome: str  # "approve" | "reject"
    reasons: str
    fee: Decimal | None
    fee_paid: bool
    legal_remedy: str
    decided_on: datetime.date
    decided_by: str
    permit: Permit | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"Unknown outcome {self.outcome!r}; expected one of {OUTCOMES}.")


def safe_colour(value: str) -> str:
    """``value`` if it is a plain hex colour (#abc or #aabbcc), else the neutral fallback; safe inside CSS."""
    return value if HEX_COLOUR.fullmatch(value or "") else FALLBACK_COLOUR


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(colour: str) -> str:
    """The colour for headings and white-on-colour text: the brand colour unless it is too light to read."""
    safe = safe_colour(colour)
    return safe if 1.05 / (_luminance(safe) + 0.05) >= MIN_CONTRAST else FALLBACK_COLOUR


def format_fee(amount: Decimal, language: str) -> str:
    """``30,70 €`` in German, ``€30.70`` in English (with the locale's thousands separator)."""
    with translation.override(language):
        number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"€{number}" if language.split("-")[0] == "en" else f"{number}\u00a0€"


def _context(document: DecisionDocument) -> dict[str, Any]:
    letterhead = document.letterhead
    logo = letterhead.logo_data_uri
    office_lines = [line.strip() for line in letterhead.office_address.splitlines() if line.strip()]
    return {
        "document": document,
        "letterhead": letterhead,
        "colour": safe_colour(letterhead.primary_colour),
        "text_colour": text_colour(letterhead.primary_colour),
        "logo": logo if LOGO_DATA_URI.fullmatch(logo) else "",
        "return_address": " · ".join(
            filter(None, [letterhead.municipality_name, letterhead.office_name, *office_lines])
        ),
        "fee": format_fee(document.fee, document.language) if document.fee else "",
        "parking": document.permit is not None and "park" in document.permit.title.lower(),
    }


def render_decision_html(document: DecisionDocument) -> str:
    """The letter as HTML in the document's language (the PDF's source; also used for previews and tests)."""
    with translation.override(document.language):
        return render_to_string(TEMPLATE, _context(document))


def render_decision_pdf(document: DecisionDocument) -> bytes:
    """The letter as PDF bytes; WeasyPrint may read only the ``data:`` URIs embedded in the HTML."""
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    pdf = HTML(string=render_decision_html(document), base_url=None, url_fetcher=fetcher).write_pdf()
    return bytes(pdf)
