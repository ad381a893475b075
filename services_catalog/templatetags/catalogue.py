"""Template helpers for catalogue content."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()

INPUT_TYPES = {
    "text": "text", "text_latin": "text", "date": "date", "number": "number", "integer": "number",
    "currency": "number", "file": "file",
}  # fmt: skip


@register.filter
def localized(text: Any) -> str:
    """The current language's version of a ``{"de": …, "en": …}`` text, German as fallback."""
    if not isinstance(text, dict):
        return ""
    language = (get_language() or "de")[:2]
    return str(text.get(language) or text.get("de") or "")


@register.filter
def input_type(field: dict[str, Any]) -> str:
    """The HTML input type for a form-schema field."""
    return INPUT_TYPES.get(str(field.get("type")), "text")
