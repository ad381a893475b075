"""The funding application of a citizen project as PDF, in the municipality's branding (WeasyPrint).

The letterhead comes from themes.letterhead (validated colours only, the coat of arms as a ``data:`` URI)
and the PDF from amtsplatz.infra.pdf, which lets WeasyPrint fetch nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation

from amtsplatz.infra.pdf import render_pdf
from participation.models import FundingProgramme, Project
from tenants.db import current_municipality
from themes.letterhead import format_fee, safe_colour, safe_logo, text_colour
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
        "logo": safe_logo(logo),
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
    return render_pdf(render_funding_html(project=project, programme=programme, language=language))
