"""Colour validation for branding settings."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from themes.contrast import ContrastFailure

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("Enter a colour as # followed by six hex digits, e.g. #004b87."), code="hex_colour")


def contrast_message(failure: ContrastFailure) -> str:
    """Which pair fails and by how much, in the active language."""
    return gettext(
        "Too little contrast for %(pair)s: %(foreground)s on %(background)s reaches %(ratio)s:1, "
        "WCAG AA needs %(minimum)s:1 (%(shortfall)s too little). Choose a darker or lighter colour."
    ) % {
        "pair": failure.pair.description,
        "foreground": failure.foreground,
        "background": failure.background,
        "ratio": number_format(failure.shown_ratio, 2),
        "minimum": number_format(failure.pair.minimum, 1),
        "shortfall": number_format(failure.shortfall, 2),
    }
