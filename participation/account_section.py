"""Participation's sections of the citizen's "Mein Konto": their defect reports and ideas with status."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.registry import AccountItem, AccountSection
from participation.models import Idea, Participant, Report


def _status(contribution: Report | Idea) -> str:
    if not contribution.is_public:
        return f"{contribution.get_status_display()} · {contribution.get_moderation_display()}"
    return str(contribution.get_status_display())


def reports(user: User) -> list[AccountItem]:
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return []
    return [
        AccountItem(
            title=f"{report.category.name}: {report.address}" if report.address else str(report.category.name),
            status=_status(report),
            url=reverse("participation:report", args=[report.pk]) if report.is_public else "",
            when=report.created,
        )
        for report in Report.objects.filter(author=participant).select_related("category").order_by("-created")
    ]


def ideas(user: User) -> list[AccountItem]:
    participant = Participant.objects.filter(user=user).first()
    if participant is None:
        return []
    return [
        AccountItem(
            title=idea.title,
            status=_status(idea),
            url=reverse("participation:idea", args=[idea.space.slug, idea.pk]) if idea.is_public else "",
            when=idea.created,
        )
        for idea in Idea.objects.filter(author=participant).select_related("space").order_by("-created")
    ]


SECTIONS = [
    AccountSection(key="reports", title=_("My defect reports"), items=reports, order=30),
    AccountSection(key="ideas", title=_("My ideas"), items=ideas, order=40),
]
