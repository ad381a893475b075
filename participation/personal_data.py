"""Participation's part of a citizen's data: exported with "my data", anonymised when the account goes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from citizens.registry import PersonalDataHandler
from citizens.selectors import iso
from participation.models import Idea, Participant, Project, Report, Statement


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def export(user: User) -> dict[str, Any]:
    """The participation profile and everything written under it, as plain data."""
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return {}
    data: dict[str, Any] = {}
    data["participation"] = {
        "pseudonym": participant.pseudonym,
        "real_name": participant.real_name,
        "language": participant.language,
        "blocked": iso(participant.blocked_at),
        "blocked_reason": participant.blocked_reason,
    }
    data["reports"] = [
        {"id": r.pk, "category": r.category.name_de, "description": r.description, "address": r.address,
         "latitude": _num(r.latitude), "longitude": _num(r.longitude), "status": r.status, "moderation": r.moderation,
         "contact_allowed": r.contact_allowed, "contact_phone": r.contact_phone, "created": iso(r.created),
         "photos": r.photos.count()}
        for r in Report.objects.filter(author=participant).select_related("category")
    ]  # fmt: skip
    data["ideas"] = [
        {"id": i.pk, "space": i.space.title, "title": i.title, "text": i.text, "address": i.address,
         "status": i.status, "moderation": i.moderation, "created": iso(i.created)}
        for i in Idea.objects.filter(author=participant).select_related("space")
    ]  # fmt: skip
    data["statements"] = [
        {"id": s.pk, "consultation": s.space.title, "text": s.text, "moderation": s.moderation,
         "created": iso(s.created)}
        for s in Statement.objects.filter(author=participant).select_related("space")
    ]  # fmt: skip
    data["projects"] = [
        {"project": m.project.title, "role": m.role, "motivation": m.motivation, "skills": m.skills,
         "joined": iso(m.joined)}
        for m in participant.project_memberships.select_related("project")
    ]  # fmt: skip
    data["supported_ideas"] = list(participant.idea_supports.values_list("idea_id", flat=True))
    data["supported_statements"] = list(participant.statement_supports.values_list("statement_id", flat=True))
    data["followed_reports"] = list(participant.followed_reports.values_list("report_id", flat=True))
    return data


def erase(user: User) -> None:
    """Contributions stay, without author; contact details and the profile (pseudonym, real name) go."""
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return
    Report.objects.filter(author=participant).update(contact_allowed=False, contact_phone="")
    for model in (Report, Idea, Statement, Project):
        model.objects.filter(author=participant).update(author=None)
    participant.delete()


HANDLER = PersonalDataHandler(
    key="participation",
    export=export,
    erase=erase,
    erasure_note=_("Your contributions stay, without your pseudonym."),
)
