"""The decision letter: PDF content, permit page, language, escaping and colour validation (no database)."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from applications.documents import DecisionDocument, Letterhead, Permit, render_decision_html, render_decision_pdf
from themes.letterhead import FALLBACK_COLOUR, format_fee, safe_colour, text_colour

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "applications" / "templates"
# 1×1 transparent PNG.
PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture(autouse=True)
def _templates(settings: Any) -> None:
    """Find the template whether or not the ``applications`` app is registered."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    settings.TEMPLATES = templates


def _document(**overrides: Any) -> DecisionDocument:
    letterhead = Letterhead(
        municipality_name="Stadt Gera",
        primary_colour="#00529c",
        office_name="Bürgerservice",
        office_address="Gagarinstraße 99/101\n07545 Gera",
        office_phone="0365 838-0",
        office_email="buergerservice@example.org",
    )
    fields: dict[str, Any] = {
        "letterhead": letterhead,
        "language": "en",
        "applicant_name": "Erika Mustermann",
        "applicant_address": "Sorge 1\n07545 Gera",
        "reference": "GER-2026-000042",
        "title": "Decision granting a resident parking permit",
        "outcome": "approve",
        "reasons": "All requirements are met.\n\nThe vehicle is registered at your main residence.",
        "fee": Decimal("30.70"),
        "fee_paid": True,
        "remedy_instructions": "An objection may be lodged within one month with Stadt Gera, Gagarinstraße 99/101.",
        "legal_remedy": "An objection may be lodged within one month of notification.",
        "decided_on": datetime.date(2026, 3, 7),
        "decided_by": "Max Beispiel",
    }
    return DecisionDocument(**{**fields, **overrides})


def _parking_permit() -> Permit:
    return Permit(
        title="Resident parking permit",
        lines=[("Holder", "Erika Mustermann"), ("Licence plate", "G-AB 123")],
        valid_from=datetime.date(2026, 3, 7),
        valid_until=datetime.date(2027, 3, 6),
    )


def _pages(pdf: bytes) -> list[str]:
    """The text of each page, with whitespace (including no-break spaces) collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def test_pdf_contains_the_letter() -> None:
    pdf = render_decision_pdf(_document())

    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf)
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "GER-2026-000042",
        "Decision granting a resident parking permit",
        "Erika Mustermann",
        "Stadt Gera",
        "All requirements are met.",
        "The vehicle is registered at your main residence.",
        "€30.70",
        "paid",
        "An objection may be lodged within one month of notification.",
        "Max Beispiel",
        "Your application is approved.",
    ):
        assert expected in text, expected
    assert "refused" not in text


def test_permit_adds_a_second_page() -> None:
    pages = _pages(render_decision_pdf(_document(permit=_parking_permit())))

    assert len(pages) == 2
    assert "G-AB 123" not in pages[0]
    assert "G-AB 123" in pages[1]
    assert "GER-2026-000042" in pages[1]
    assert "Place clearly visible behind the windscreen." in pages[1]


def test_windscreen_note_only_for_parking_permits() -> None:
    permit = dataclasses.replace(_parking_permit(), title="Fishing licence")

    html = render_decision_html(_document(permit=permit))

    assert "Fishing licence" in html
    assert "Place clearly visible behind the windscreen." not in html


def test_rejection_in_english() -> None:
    html = render_decision_html(_document(outcome="reject", permit=None))

    assert "Your application is refused." in html
    assert "Your application is approved." not in html
    assert 'lang="en"' in html


def test_unknown_outcome_is_rejected() -> None:
    with pytest.raises(ValueError, match="outcome"):
        _document(outcome="maybe")


@pytest.mark.parametrize(
    ("fee", "paid", "expected", "unexpected"),
    [
        (Decimal("30.70"), False, "€30.70 – payable on receipt", "no fee"),
        (Decimal("1234.5"), True, "€1,234.50 – paid", "no fee"),
        (None, False, "no fee", "payable on receipt"),
        (Decimal("0"), False, "no fee", "payable on receipt"),
    ],
)
def test_fee_line(fee: Decimal | None, paid: bool, expected: str, unexpected: str) -> None:
    html = render_decision_html(_document(fee=fee, fee_paid=paid))

    assert expected in html
    assert unexpected not in html


def test_fee_format_per_language() -> None:
    assert format_fee(Decimal("30.7"), "de") == "30,70\u00a0€"
    assert format_fee(Decimal("1234.5"), "de") == "1.234,50\u00a0€"
    assert format_fee(Decimal("30.7"), "en") == "€30.70"


def test_german_document_formats_the_fee_in_german() -> None:
    text = _pages(render_decision_pdf(_document(language="de")))[0]

    assert "30,70 €" in text
    assert 'lang="de"' in render_decision_html(_document(language="de"))


def test_user_text_is_escaped() -> None:
    attack = "<script>alert(1)</script>"

    html = render_decision_html(
        _document(
            applicant_name=attack,
            applicant_address=f"{attack}\n07545 Gera",
            title=attack,
            reasons=attack,
            decided_by=attack,
            permit=dataclasses.replace(_parking_permit(), lines=[(attack, attack)]),
        )
    )

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_multiline_text_keeps_its_paragraphs() -> None:
    html = render_decision_html(_document())

    assert "<p>All requirements are met.</p>" in html
    assert "<p>The vehicle is registered at your main residence.</p>" in html
    assert "Sorge 1<br>07545 Gera" in html


@pytest.mark.parametrize("colour", ["red;}body{display:none", "#00529c;}body{display:none", "#00529c\n", "url(x)"])
def test_invalid_colour_never_reaches_the_css(colour: str) -> None:
    letterhead = dataclasses.replace(_document().letterhead, primary_colour=colour)

    html = render_decision_html(_document(letterhead=letterhead))

    assert "display:none" not in html
    assert "url(x)" not in html
    assert FALLBACK_COLOUR in html
    assert "#00529c" not in html


def test_valid_colour_is_used() -> None:
    html = render_decision_html(_document())

    assert "solid #00529c" in html
    assert safe_colour("#ABC") == "#ABC"
    assert safe_colour("00529c") == FALLBACK_COLOUR


def test_too_light_colour_is_not_used_for_text() -> None:
    assert text_colour("#00529c") == "#00529c"
    assert text_colour("#ffdd00") == FALLBACK_COLOUR


def test_logo_must_be_an_image_data_uri() -> None:
    with_logo = dataclasses.replace(_document().letterhead, logo_data_uri=PIXEL)
    remote = dataclasses.replace(_document().letterhead, logo_data_uri="https://example.org/logo.png")

    assert PIXEL in render_decision_html(_document(letterhead=with_logo))
    assert render_decision_pdf(_document(letterhead=with_logo)).startswith(b"%PDF")
    assert "example.org/logo.png" not in render_decision_html(_document(letterhead=remote))


def test_pdf_rendering_fetches_no_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if a remote URL slipped into the HTML, WeasyPrint must not request it."""
    import urllib.request

    import applications.documents as documents

    requested: list[str] = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, url, *args, **kwargs: requested.append(str(url))
    )
    html = render_decision_html(_document())
    monkeypatch.setattr(
        documents,
        "render_decision_html",
        lambda document: html.replace("</main>", '<img src="http://127.0.0.1:9/x.png"></main>'),
    )

    assert render_decision_pdf(_document()).startswith(b"%PDF")
    assert requested == []
