"""Reads of citizen participation: what the public sees, what an author or team sees, what staff see."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from participation.models import (
    Contribution,
    Idea,
    Participant,
    Project,
    ProjectMember,
    Report,
    Space,
    Statement,
)
from participation.states import IdeaStatus, Moderation, ReportStatus

KINDS: dict[str, type[Contribution]] = {"report": Report, "idea": Idea, "statement": Statement, "project": Project}
DUPLICATE_RADIUS_M = 50
DUPLICATE_DAYS = 30
EARTH_RADIUS_M = 6_371_000


def participant_of(user: Any) -> Participant | None:
    """The participation profile of the logged-in citizen, if any."""
    if not user.is_authenticated or user.is_staff:
        return None
    return Participant.objects.filter(user=user).first()


def may(user: Any, permission: str) -> bool:
    """Staff permission of participation: "moderate", "work_reports" or "manage_participation"."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm(f"participation.{permission}"))


def public_url(item: Contribution) -> str:
    if isinstance(item, Report):
        return reverse("participation:report", kwargs={"pk": item.pk})
    if isinstance(item, Idea):
        return reverse("participation:idea", kwargs={"slug": item.space.slug, "pk": item.pk})
    if isinstance(item, Statement):
        return reverse("participation:consultation", kwargs={"slug": item.space.slug}) + f"#statement-{item.pk}"
    return reverse("participation:project", kwargs={"pk": item.pk})


def visible_to(item: Contribution, participant: Participant | None) -> bool:
    """Public, or the viewer's own (authors see their pending and rejected contributions)."""
    return item.is_public or (participant is not None and item.author_id == participant.pk)


# --- Reports ---------------------------------------------------------------------------------------


def public_reports(*, category: str = "", status: str = "") -> QuerySet[Report]:
    queryset = Report.objects.public().select_related("category")
    if category:
        queryset = queryset.filter(category__slug=category)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-published_at", "-pk")


def distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class NearbyReport:
    report: Report
    distance: int


def likely_duplicates(*, category_id: int, latitude: Decimal, longitude: Decimal) -> list[NearbyReport]:
    """Published reports of the same category within 50 m from the last 30 days, nearest first."""
    lat_delta = Decimal(str(DUPLICATE_RADIUS_M / 111_000 * 1.2))
    lon_delta = Decimal(str(DUPLICATE_RADIUS_M / (111_000 * max(math.cos(math.radians(float(latitude))), 0.1)) * 1.2))
    candidates = Report.objects.public().filter(
        category_id=category_id,
        created__gte=timezone.now() - timedelta(days=DUPLICATE_DAYS),
        latitude__range=(latitude - lat_delta, latitude + lat_delta),
        longitude__range=(longitude - lon_delta, longitude + lon_delta),
    )
    found = []
    for report in candidates.select_related("category"):
        assert report.latitude is not None and report.longitude is not None  # by the range filter
        distance = distance_m(latitude, longitude, report.latitude, report.longitude)
        if distance <= DUPLICATE_RADIUS_M:
            found.append(NearbyReport(report=report, distance=round(distance)))
    return sorted(found, key=lambda nearby: nearby.distance)


def reports_for_staff(
    *, category: str = "", status: str = "", assignee: str = "", user: Any = None
) -> QuerySet[Report]:
    queryset = Report.objects.select_related("category", "assignee", "author")
    if category:
        queryset = queryset.filter(category__slug=category)
    if status:
        queryset = queryset.filter(status=status)
    if assignee == "me" and user is not None:
        queryset = queryset.filter(assignee=user)
    elif assignee == "nobody":
        queryset = queryset.filter(assignee__isnull=True)
    return queryset.exclude(moderation=Moderation.REJECTED).order_by("-created")


# --- Ideas, consultations, projects -------------------------------------------------------------------


def open_spaces(kind: str) -> QuerySet[Space]:
    return Space.objects.filter(kind=kind, is_open=True, closed_at__isnull=True).order_by("-created")


def public_ideas(space: Space | None = None) -> QuerySet[Idea]:
    queryset = Idea.objects.public().select_related("topic", "space", "author")
    if space is not None:
        queryset = queryset.filter(space=space)
    ideas: QuerySet[Idea] = queryset.annotate(support_count=Count("supports")).order_by(
        "-support_count", "-published_at"
    )
    return ideas


def public_statements(space: Space) -> QuerySet[Statement]:
    statements: QuerySet[Statement] = (
        Statement.objects.public()
        .filter(space=space)
        .select_related("author")
        .annotate(support_count=Count("supports"))
        .order_by("published_at", "pk")
    )
    return statements


def public_projects() -> QuerySet[Project]:
    projects: QuerySet[Project] = (
        Project.objects.public().select_related("idea").annotate(member_count=Count("members"))
    )
    return projects.order_by("-pk")


def membership(project: Project, participant: Participant | None) -> ProjectMember | None:
    if participant is None:
        return None
    return ProjectMember.objects.filter(project=project, participant=participant).first()


# --- Moderation ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    kind: str
    item: Contribution
    space_title: str

    @property
    def kind_label(self) -> str:
        return str(type(self.item)._meta.verbose_name)


def moderation_queue() -> list[QueueItem]:
    """Pending contributions and published ones hidden by flags, oldest first."""
    waiting = Q(moderation=Moderation.PENDING) | Q(moderation=Moderation.PUBLISHED, hidden_at__isnull=False)
    items: list[QueueItem] = []
    for kind, model in KINDS.items():
        related = "idea__space" if model is Project else "space"
        for item in model.objects.filter(waiting).select_related("author", related).order_by("created"):
            space: Space = item.idea.space if isinstance(item, Project) else cast(Any, item).space
            items.append(QueueItem(kind=kind, item=item, space_title=space.title))
    return sorted(items, key=lambda entry: entry.item.created)


def pending_count() -> int:
    waiting = Q(moderation=Moderation.PENDING) | Q(moderation=Moderation.PUBLISHED, hidden_at__isnull=False)
    return sum(model.objects.filter(waiting).count() for model in KINDS.values())


@dataclass(frozen=True)
class WaitingCounts:
    """What waits for the municipality's staff: the /cms/ dashboard shows it."""

    moderation: int
    reports_new: int
    ideas_unanswered: int


def waiting_counts() -> WaitingCounts:
    """Contributions waiting for moderation, published defect reports nobody has started, unanswered ideas."""
    return WaitingCounts(
        moderation=pending_count(),
        reports_new=Report.objects.filter(moderation=Moderation.PUBLISHED, status=ReportStatus.PUBLISHED).count(),
        ideas_unanswered=Idea.objects.public().filter(status=IdeaStatus.NEW).count(),
    )


def item_of(kind: str, pk: int) -> Contribution | None:
    model = KINDS.get(kind)
    return model.objects.filter(pk=pk).first() if model is not None else None
