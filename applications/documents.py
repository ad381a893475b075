"""The decision letter (Bescheid) as PDF, rendered by WeasyPrint from a template in the municipality's branding."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from amtsplatz.infra.pdf import render_pdf
from themes.letterhead import format_fee, safe_colour, safe_logo, text_colour

TEMPLATE = "applications/documents/decision.html"
OUTCOMES = ("approve", "reject")


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
    title: str  # names the decision: "Bescheid über die Erteilung eines Bewohnerparkausweises"
    outcome: str  # "approve" | "reject"
    reasons: str
    fee: Decimal | None
    fee_paid: bool
    remedy_instructions: str  # remedy, deadline, authority and address, form, electronic ways ("" if none)
    legal_remedy: str  # the catalogue's Rechtsbehelf text
    decided_on: datetime.date
    decided_by: str
    permit: Permit | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"Unknown outcome {self.outcome!r}; expected one of {OUTCOMES}.")


def _context(document: DecisionDocument) -> dict[str, Any]:
    letterhead = document.letterhead
    logo = letterhead.logo_data_uri
    office_lines = [line.strip() for line in letterhead.office_address.splitlines() if line.strip()]
    return {
        "document": document,
        "letterhead": letterhead,
        "colour": safe_colour(letterhead.primary_colour),
        "text_colour": text_colour(letterhead.primary_colour),
        "logo": safe_logo(logo),
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
    """The letter as PDF bytes."""
    return render_pdf(render_decision_html(document))
