"""The participation start page and the citizen's own contributions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from participation import selectors
from participation.models import Idea, Participant, Project, Report, ReportCategory, Space, Statement
from participation.views.common import participant_required


def start(request: HttpRequest) -> HttpResponse:
    context = {
        "participant": selectors.participant_of(request.user),
        "reports_open": ReportCategory.objects.filter(is_active=True).exists(),
        "recent_reports": selectors.public_reports()[:5],
        "idea_spaces": selectors.open_spaces(Space.Kind.IDEAS),
        "consultations": Space.objects.filter(kind=Space.Kind.CONSULTATION).order_by("closed_at", "-created")[:10],
        "projects": selectors.public_projects()[:5],
    }
    return render(request, "participation/start.html", context)


@participant_required
def mine(request: HttpRequest, participant: Participant) -> HttpResponse:
    context = {
        "participant": participant,
        "reports": Report.objects.filter(author=participant).select_related("category"),
        "ideas": Idea.objects.filter(author=participant).select_related("space"),
        "statements": Statement.objects.filter(author=participant).select_related("space"),
        "projects": Project.objects.filter(members__participant=participant).distinct(),
    }
    return render(request, "participation/mine.html", context)
