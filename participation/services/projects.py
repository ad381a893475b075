"""Citizen projects grown from ideas: start, team, planning."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from participation.models import Idea, Participant, Project, ProjectMember
from participation.services.base import NotAllowed, _initial_state, _require_active


@transaction.atomic
def project_start(
    *,
    idea: Idea,
    participant: Participant,
    title: str,
    summary: str,
    motivation: str,
    skills: str,
    checked: bool = True,
) -> Project:
    """Grow a published idea into a project; its starter is the first team member."""
    _require_active(participant)
    if not idea.is_public:
        raise NotAllowed(_("Only published ideas can grow into a project."))
    project = Project(idea=idea, author=participant, title=title.strip(), summary=summary.strip())
    _initial_state(project, idea.space, checked=checked)
    project.save()
    ProjectMember.objects.create(
        project=project, participant=participant, role=ProjectMember.Role.INITIATOR,
        motivation=motivation.strip(), skills=skills.strip(),
    )  # fmt: skip
    return project


def project_join(*, project: Project, participant: Participant, motivation: str, skills: str) -> ProjectMember:
    _require_active(participant)
    if not project.is_public:
        raise NotAllowed(_("Only published projects take new members."))
    if not motivation.strip() or not skills.strip():
        raise ValidationError(_("Please say why you join and what you can contribute."), code="motivation")
    try:
        with transaction.atomic():
            return ProjectMember.objects.create(
                project=project, participant=participant, motivation=motivation.strip(), skills=skills.strip()
            )
    except IntegrityError:
        return ProjectMember.objects.get(project=project, participant=participant)


def project_leave(*, project: Project, participant: Participant) -> None:
    membership = ProjectMember.objects.filter(project=project, participant=participant).first()
    if membership is None:
        return
    if membership.role == ProjectMember.Role.INITIATOR and project.members.count() > 1:
        raise NotAllowed(_("As initiator, you can leave once the other members have left."))
    membership.delete()


def project_plan_save(*, project: Project, formsets: Iterable[Any]) -> None:
    """Save the team's planning templates (goals, milestones, budget, tasks) together."""
    with transaction.atomic():
        for formset in formsets:
            formset.instance = project
            formset.save()
