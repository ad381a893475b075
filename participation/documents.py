"""The funding application of a citizen project as PDF, in the municipality's branding (WeasyPrint).

Follows the decision letters of applications (applications.documents): validated colours only, the coat
of arms as a ``data:`` URI, and WeasyPrint may fetch nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.documents import LOGO_DATA_URI, format_fee, safe_colour, text_colour
from participation.models import FundingProgramme, Project
from tenants.db import current_municipality
from themes.selectors import current_branding, image_data_uri

TEMPLATE = "participation/documents/funding_application.html"


def funding_context(*, project: Project, programme: FundingProgramme, language: str) -> dict[str, Any]:
    branding = current_branding()
    logo = image_data_uri(branding.coat_of_arms)
    total = project.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    lines = [(line.item, format_fee(line.amount, language)) for line in project.budget_lines.all()]
    return {
        "municipality_name": branding.display_name or current_municipality().name,
        "colour": safe_colour(branding.primary_colour),
        "text_colour": text_colour(branding.primary_colour),
        "logo": logo if LOGO_DATA_URI.fullmatch(logo) else "",
        "project": project,
        "programme": programme,
        "members": project.members.select_related("participant"),
        "goals": project.goals.all(),
        "milestones": project.milestones.all(),
        "tasks": project.tasks.all(),
        "budget_lines": lines,
        "total": format_fee(total, language),
        "over_limit": programme.max_amount is not None and total > programme.max_amount,
        "max_amount": format_fee(programme.max_amount, language) if programme.max_amount is not None else "",
        "today": timezone.localdate(),
    }


def render_funding_html(*, project: Project, programme: FundingProgramme, language: str) -> str:
    with translation.override(language):
        return render_to_string(TEMPLATE, funding_context(project=project, programme=programme, language=language))


def render_funding_pdf(*, project: Project, programme: FundingProgramme, language: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    html = render_funding_html(project=project, programme=programme, language=language)
    return bytes(HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf())
