"""The municipality's letterhead in printed documents (decision letters, funding applications).

Only validated values reach a document's CSS: plain hex colours, a readable text colour, the coat of
arms as an image ``data:`` URI.
"""

from __future__ import annotations

import re
from decimal import Decimal

from amtsplatz.infra.formatting import money
from themes.contrast import TEXT_MINIMUM, WHITE, contrast_ratio

HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
FALLBACK_COLOUR = "#1f2937"
LOGO_DATA_URI = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/]+={0,2}")


def safe_colour(value: str) -> str:
    """``value`` if it is a plain hex colour (#abc or #aabbcc), else the neutral fallback; safe inside CSS."""
    return value if HEX_COLOUR.fullmatch(value or "") else FALLBACK_COLOUR


def text_colour(colour: str) -> str:
    """The colour for headings and white-on-colour text: the brand colour unless it is too light to read
    on white paper (WCAG AA for normal text)."""
    safe = safe_colour(colour)
    return safe if contrast_ratio(safe, WHITE) >= TEXT_MINIMUM else FALLBACK_COLOUR


def safe_logo(data_uri: str) -> str:
    """The coat of arms as an image ``data:`` URI, or nothing when it is anything else."""
    return data_uri if LOGO_DATA_URI.fullmatch(data_uri) else ""


def format_fee(amount: Decimal, language: str) -> str:
    """``30,70 €`` in German, ``€30.70`` in English (with the locale's thousands separator)."""
    return money(amount, language)
