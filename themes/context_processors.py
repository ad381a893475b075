"""The theme and font of the request's portal, needed before any template is chosen."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants.db import current_schema
from themes import registry


def theme(request: HttpRequest) -> dict[str, Any]:
    """``theme`` (its ``base_template`` is what ``themes/base.html`` extends) and ``font``."""
    if current_schema() == get_public_schema_name():
        return {"theme": registry.theme(registry.DEFAULT_THEME), "font": registry.font(registry.DEFAULT_FONT)}
    from themes.models import Branding

    branding = Branding.for_request(request)
    return {"theme": registry.theme(branding.theme), "font": registry.font(branding.font)}
