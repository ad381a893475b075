"""Generated open data of participation: published defect reports and ideas, counted per month and group.

Registered with the platform's open data registry; the portal suppresses small counts (ADR 0063).
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra.open_data import DatasetProvider, Row, register
from participation.models import Idea, Report


def _reports_per_month() -> list[Row]:
    grouped = (
        Report.objects.public()
        .annotate(month=TruncMonth("created"))
        .values("month", "category__slug", "category__name_de")
        .annotate(reports=Count("pk"))
        .order_by("month", "category__slug")
    )
    return [
        {"month": row["month"].strftime("%Y-%m"), "category": row["category__name_de"], "reports": row["reports"]}
        for row in grouped
    ]


def _ideas_per_month() -> list[Row]:
    grouped = (
        Idea.objects.public()
        .annotate(month=TruncMonth("created"))
        .values("month", "status")
        .annotate(ideas=Count("pk"))
        .order_by("month", "status")
    )
    return [
        {"month": row["month"].strftime("%Y-%m"), "status": row["status"], "ideas": row["ideas"]} for row in grouped
    ]


def register_providers() -> None:
    register(
        DatasetProvider(
            key="maengelmeldungen-je-monat",
            title=_("Defect reports per month and category"),
            description=_("Number of published defect reports per month and category, from the participation portal."),
            keywords=("Mängelmelder", "Infrastruktur", "Beteiligung"),
            theme="REGI",
            columns=(("month", "month"), ("category", "text"), ("reports", "integer")),
            count_columns=("reports",),
            rows=_reports_per_month,
        )
    )
    register(
        DatasetProvider(
            key="ideen-je-monat",
            title=_("Ideas per month and status"),
            description=_("Number of published citizen ideas per month and status, from the participation portal."),
            keywords=("Bürgerbeteiligung", "Ideen"),
            theme="GOVE",
            columns=(("month", "month"), ("status", "text"), ("ideas", "integer")),
            count_columns=("ideas",),
            rows=_ideas_per_month,
        )
    )
