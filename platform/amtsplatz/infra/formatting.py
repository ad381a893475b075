"""One way to show money, dates and times in the language of the page, mail or letter.

German: ``30,70 €``, ``05.12.2026 19:09``; English: ``€30.70``, ``5 Dec 2026, 19:09`` (see
``amtsplatz.infra.formats``). Templates use the filters of the same names (built in, no ``{% load %}``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone, translation


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "de").split("-")[0]


def money(amount: Decimal | float | int | str | None, language: str | None = None) -> str:
    """``30,70 €`` in German, ``€30.70`` in English (with the language's thousands separator); "" for nothing."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    code = _language(language)
    with translation.override(code):
        number = formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"€{number}" if code == "en" else f"{number}\u00a0€"


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value: date | datetime | None, language: str | None = None) -> str:
    """A date: ``05.12.2026`` / ``5 Dec 2026``."""
    if value is None:
        return ""
    with translation.override(_language(language)):
        return formats.date_format(_local(value), "SHORT_DATE_FORMAT")


def moment(value: datetime | None, language: str | None = None) -> str:
    """A date with time: ``05.12.2026 19:09`` / ``5 Dec 2026, 19:09``."""
    if value is None:
        return ""
    with translation.override(_language(language)):
        return formats.date_format(_local(value), "SHORT_DATETIME_FORMAT")
