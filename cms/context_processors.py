"""Template context shared by all portal pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from cms.models import LegalPage
from tenants.db import current_schema


def portal(request: HttpRequest) -> dict[str, Any]:
    """Legal pages for the footer (Impressum, Datenschutz, Barrierefreiheit) of a portal."""
    if current_schema() == get_public_schema_name():
        return {}
    return {"legal_pages": LegalPage.objects.live().order_by("path")}
