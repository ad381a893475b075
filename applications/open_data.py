"""Generated open data of applications: submitted online applications per service and month.

Registered with the platform's open data registry; the portal suppresses small counts (ADR 0063).
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra.open_data import DatasetProvider, Row, register
from applications.models import Application


def _applications_per_month() -> list[Row]:
    grouped = (
        Application.objects.filter(submitted_at__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month", "service__definition__key", "service__definition__name_de")
        .annotate(applications=Count("pk"))
        .order_by("month", "service__definition__key")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "service": row["service__definition__name_de"],
            "applications": row["applications"],
        }
        for row in grouped
    ]


def register_providers() -> None:
    register(
        DatasetProvider(
            key="antraege-je-leistung-und-monat",
            title=_("Online applications per service and month"),
            description=_("Number of online applications submitted per administrative service and month."),
            keywords=("Verwaltungsleistungen", "Onlinezugang", "Statistik"),
            theme="GOVE",
            columns=(("month", "month"), ("service", "text"), ("applications", "integer")),
            count_columns=("applications",),
            rows=_applications_per_month,
        )
    )
