"""Street names and house numbers as citizens type them, compared the way a register would."""

from __future__ import annotations

import re

_STREET_SUFFIX = re.compile(r"(str\.?|strasse)$")
_STREET_AND_NUMBER = re.compile(r"(.*?)[\s,]*(\d{1,5})\s*([a-zA-Z]?)")


def normalise_street(value: str) -> str:
    """'Bahnhofstr.', 'Bahnhof-Straße' and 'bahnhofstrasse' name one street."""
    compact = re.sub(r"[\s\-.]+(?=\S)", "", value.strip().casefold()).replace("ß", "ss")
    return _STREET_SUFFIX.sub("strasse", compact.rstrip("."))


def split_street_and_number(value: str) -> tuple[str, int | None, str]:
    """'Bahnhofstraße 12a' → ('Bahnhofstraße', 12, 'a'); without a number → (text, None, '')."""
    text = " ".join(value.split())[:200]
    match = _STREET_AND_NUMBER.fullmatch(text)
    if match and match.group(1):
        return match.group(1).strip(), int(match.group(2)), match.group(3).lower()
    return text, None, ""
