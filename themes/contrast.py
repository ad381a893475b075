"""WCAG 2.1 contrast ratios and the colour pairs every theme relies on."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WHITE = "#ffffff"
BODY_TEXT = "#1b1b1b"  # the themes' text colour on light surfaces
TEXT_MINIMUM = 4.5  # WCAG 1.4.3, normal text
UI_MINIMUM = 3.0  # WCAG 1.4.3 large text and 1.4.11 user-interface components


def relative_luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` (or ``#rgb``) colour as WCAG 2.1 defines it."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """Contrast ratio (1 to 21) between two ``#rrggbb`` colours, order irrelevant."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class ColourPair:
    """How a theme combines two colours; ``foreground``/``background`` name a branding field or a fixed colour."""

    field: str  # the branding field to blame when the pair fails
    foreground: str
    background: str
    minimum: float
    description: Promise


# Both themes use the brand colours in exactly these roles (see docs/themes.md).
COLOUR_PAIRS = (
    ColourPair(
        "primary_colour", WHITE, "primary_colour", TEXT_MINIMUM, _("white text on the primary colour (header, menu)")
    ),
    ColourPair(
        "primary_colour",
        "primary_colour",
        "secondary_colour",
        TEXT_MINIMUM,
        _("links in the primary colour on the secondary colour (boxes, footer)"),
    ),
    ColourPair("secondary_colour", BODY_TEXT, "secondary_colour", TEXT_MINIMUM, _("body text on the secondary colour")),
    ColourPair("accent_colour", WHITE, "accent_colour", TEXT_MINIMUM, _("white text on the accent colour (buttons)")),
    ColourPair(
        "accent_colour",
        "accent_colour",
        "secondary_colour",
        UI_MINIMUM,
        _("buttons in the accent colour on the secondary colour (user-interface components)"),
    ),
)


@dataclass(frozen=True)
class ContrastFailure:
    pair: ColourPair
    foreground: str
    background: str
    ratio: float

    @property
    def shown_ratio(self) -> float:
        """The ratio rounded down to two decimals, so a failing 4.499 never reads as 4.50."""
        return math.floor(self.ratio * 100) / 100

    @property
    def shortfall(self) -> float:
        return round(self.pair.minimum - self.shown_ratio, 2)


def contrast_failures(colours: dict[str, str]) -> list[ContrastFailure]:
    """The pairs whose contrast is below their minimum; ``colours`` maps branding fields to ``#rrggbb``."""
    failures = []
    for pair in COLOUR_PAIRS:
        foreground = colours.get(pair.foreground, pair.foreground)
        background = colours.get(pair.background, pair.background)
        ratio = contrast_ratio(foreground, background)
        if ratio < pair.minimum:
            failures.append(ContrastFailure(pair, foreground, background, ratio))
    return failures
