"""Template filters ``money``, ``day`` and ``moment``: the page's language decides the format.

Registered as built-ins (settings ``TEMPLATES``), so every template can use them without ``{% load %}``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template

from amtsplatz.infra import formatting

register = template.Library()


@register.filter
def money(amount: Decimal | float | int | str | None) -> str:
    return formatting.money(amount)


@register.filter
def day(value: date | datetime | None) -> str:
    return formatting.day(value)


@register.filter
def moment(value: datetime | None) -> str:
    return formatting.moment(value)


@register.filter
def person(user: Any) -> str:
    """A staff member as named to colleagues: full name, else login name; "—" for nobody."""
    if user is None:
        return "—"
    return str(user.get_full_name() or user.get_username())
