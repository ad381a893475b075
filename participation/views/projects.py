"""Citizen projects: list, start from an idea, team, planning, funding application, leaving."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participation import selectors, services
from participation.antispam import rate_limit_hit
from participation.documents import render_funding_pdf
from participation.forms import PLAN_FORMSETS, JoinForm, ProjectForm
from participation.models import FundingProgramme, Idea, Participant, Project
from participation.views.common import (
    _held_message,
    _language,
    _user_id,
    guarded,
    participant_for,
    participant_required,
)


def project_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_projects(), 20).get_page(request.GET.get("seite"))
    return render(request, "participation/projects.html", {"page": page})


@guarded
@require_http_methods(["GET", "POST"])
@participant_required
def project_new(request: HttpRequest, idea_pk: int, participant: Participant) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.public().select_related("space"), pk=idea_pk)
    form = ProjectForm(request.POST or None, initial={"title": idea.title})
    if request.method == "POST":
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            try:
                project = services.project_start(idea=idea, participant=participant, checked=form.checked, **{
                    key: form.cleaned_data[key] for key in ("title", "summary", "motivation", "skills")
                })  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _held_message(request, project)
                return redirect("participation:project", pk=project.pk)
    return render(request, "participation/project_form.html", {"idea": idea, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


def _project_for(request: HttpRequest, pk: int) -> tuple[Project, Participant | None, Any]:
    project = get_object_or_404(Project.objects.select_related("idea__space", "author"), pk=pk)
    participant = selectors.participant_of(request.user)
    member = selectors.membership(project, participant)
    if not (project.is_public or member is not None):
        raise Http404(_("This project is not public."))
    return project, participant, member


@guarded
@require_http_methods(["GET", "POST"])
@participant_for(methods={"POST"})
def project_detail(request: HttpRequest, pk: int, participant: Participant | None) -> HttpResponse:
    project, _viewer, member = _project_for(request, pk)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and participant is not None:
        rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
        if form.is_valid():
            try:
                services.project_join(project=project, participant=participant, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Welcome to the team!"))
                return redirect("participation:project", pk=pk)
    context = {
        "project": project,
        "member": member,
        "participant": participant,
        "members": project.members.select_related("participant"),
        "join_form": form,
        "programmes": FundingProgramme.objects.filter(is_active=True),
        "goals": project.goals.all(),
        "milestones": project.milestones.all(),
    }
    return render(request, "participation/project_detail.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's planning templates: goals, milestones, budget lines, tasks (members only)."""
    project, _participant, member = _project_for(request, pk)
    if member is None:
        raise Http404(_("Only team members plan the project."))
    data = request.POST if request.method == "POST" else None
    formsets = {key: factory(data, instance=project, prefix=key) for key, factory in PLAN_FORMSETS.items()}
    if request.method == "POST" and all(formset.is_valid() for formset in formsets.values()):
        services.project_plan_save(project=project, formsets=formsets.values())
        messages.success(request, _("The plan is saved."))
        return redirect("participation:project-plan", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/project_plan.html", {"project": project, "formsets": formsets},
                  status=status)  # fmt: skip


def funding_application(request: HttpRequest, pk: int) -> HttpResponse:
    """The funding application as PDF in the municipality's branding, for the chosen programme (members only)."""
    project, _participant, member = _project_for(request, pk)
    if member is None:
        raise Http404(_("Only team members export the funding application."))
    raw_programme = request.GET.get("programm", "")
    programme = (
        FundingProgramme.objects.filter(is_active=True, pk=int(raw_programme)).first()
        if raw_programme.isdigit()
        else None
    )
    if programme is None:
        messages.error(request, _("Please choose a funding programme."))
        return redirect("participation:project", pk=pk)
    pdf = render_funding_pdf(project=project, programme=programme, language=_language(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Foerderantrag-{project.pk}.pdf"'
    return response


@require_POST
@participant_required
def project_leave(request: HttpRequest, pk: int, participant: Participant) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    try:
        services.project_leave(project=project, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have left the team."))
    return redirect("participation:projects")
