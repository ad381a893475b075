"""Template helpers of the office cards."""

from __future__ import annotations

from django import template

from offices import hours
from offices.presentation import status_line

register = template.Library()


@register.filter
def opening_status_line(status: hours.OpeningStatus) -> str:
    return status_line(status)
