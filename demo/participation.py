"""Demo content of citizen participation: categories, reports, an idea space, a consultation, a project."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q
from django.utils import timezone

from participation.models import (
    BudgetLine,
    FundingProgramme,
    Idea,
    IdeaStatusChange,
    IdeaSupport,
    Participant,
    ParticipationSettings,
    Project,
    ProjectGoal,
    ProjectMember,
    ProjectMilestone,
    ProjectTask,
    Report,
    ReportCategory,
    ReportFollower,
    ReportStatusChange,
    Space,
    Statement,
    StatementSupport,
    Topic,
)
from participation.states import IdeaStatus, Moderation, ReportStatus

IDEA_SPACE = "ideen-fuer-die-innenstadt"
CONSULTATION = "radverkehrskonzept"
CATEGORIES = (
    ("strassenschaden", "Straßenschaden", "Road damage", "Tiefbauamt"),
    ("beleuchtung", "Straßenbeleuchtung", "Street lighting", "Tiefbauamt"),
    ("muell", "Wilder Müll", "Illegal dumping", "Ordnungsamt"),
    ("gruen", "Grünanlagen und Spielplätze", "Parks and playgrounds", "Grünflächenamt"),
)
TOPICS = (("Verkehr", "Transport"), ("Grün und Umwelt", "Green spaces and environment"), ("Kultur", "Culture"))
MODERATION_CODENAMES = ("moderate", "work_reports", "manage_participation")
MANAGED_MODELS = ("space", "reportcategory", "topic", "fundingprogramme")


@dataclass(frozen=True)
class Place:
    latitude: Decimal
    longitude: Decimal
    streets: tuple[str, str, str, str]


PLACES = {
    "gera": Place(Decimal("50.877600"), Decimal("12.082600"), ("Sorge", "Markt", "Johannisplatz", "Hofwiesenpark")),
    "wurzen": Place(Decimal("51.370700"), Decimal("12.739300"), ("Domplatz", "Markt", "Jacobsplatz", "Stadtpark")),
    "augustusburg": Place(
        Decimal("50.814000"), Decimal("13.101000"), ("Marktplatz", "Schloßstraße", "Hohe Straße", "Kurpark")
    ),
}


def participation_demo_ensure(slug: str) -> None:
    """Seed one municipality's participation (idempotent: skipped once its categories exist)."""
    place = PLACES[slug]
    ParticipationSettings.objects.update_or_create(
        defaults={"map_latitude": place.latitude, "map_longitude": place.longitude, "map_zoom": 15}
    )
    _moderator_ensure(slug)
    citizen = _citizen_ensure(slug, "buerger", "Stadtkind")
    if ReportCategory.objects.exists():
        return
    neighbour = _citizen_ensure(slug, "nachbarin", "Nachbarin")
    categories = [
        ReportCategory.objects.create(
            slug=key, name_de=de, name_en=en, office_name=office, office_email=f"{key}@{slug}.example", sort_order=order
        )
        for order, (key, de, en, office) in enumerate(CATEGORIES)
    ]
    _reports_seed(place, categories, citizen, neighbour)
    _ideas_seed(place, citizen, neighbour)
    _consultation_seed(citizen, neighbour)


def _moderator_ensure(slug: str) -> None:
    group, _created = Group.objects.get_or_create(name="Beteiligung")
    permissions = Permission.objects.filter(
        Q(codename="access_admin")
        | Q(content_type__app_label="participation", codename__in=MODERATION_CODENAMES)
        | Q(content_type__app_label="participation", content_type__model__in=MANAGED_MODELS)
    )
    group.permissions.add(*permissions)
    email = f"beteiligung@{slug}.example"
    user, created = User.objects.get_or_create(username=email, defaults={"email": email, "is_staff": True})
    if created:
        user.set_password(f"Demo-Beteiligung-{slug.capitalize()}-2026")
        user.save()
        user.groups.add(group)


def _citizen_ensure(slug: str, local: str, pseudonym: str) -> Participant:
    email = f"{local}@{slug}.example"
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    if created:
        user.set_password(f"Demo-{local.capitalize()}-{slug.capitalize()}-2026")
        user.save()
    participant, _created = Participant.objects.get_or_create(user=user, defaults={"pseudonym": pseudonym})
    return participant


def _published(days_ago: int) -> dict[str, object]:
    return {"moderation": Moderation.PUBLISHED, "published_at": timezone.now() - timedelta(days=days_ago)}


def _reports_seed(place: Place, categories: list[ReportCategory], citizen: Participant, other: Participant) -> None:
    space = Space.objects.get_or_create(
        kind=Space.Kind.REPORTS, defaults={"title": "Mängelmelder", "slug": "maengelmelder"}
    )[0]
    road, light, dumping, green = categories
    seeds = [
        (road, citizen, "Tiefes Schlagloch am Fahrbahnrand, Radfahrer müssen ausweichen.", 0, ReportStatus.IN_PROGRESS,
         "Der Bauhof repariert die Stelle in dieser Woche."),
        (light, other, "Die Straßenlaterne vor Hausnummer 4 bleibt nachts dunkel.", 1, ReportStatus.DONE,
         "Das Leuchtmittel wurde getauscht."),
        (dumping, citizen, "Mehrere Säcke Bauschutt am Wegrand abgeladen.", 2, ReportStatus.PUBLISHED, ""),
        (green, other, "Die Schaukel auf dem Spielplatz hat eine gerissene Kette.", 3, None, ""),
    ]  # fmt: skip
    for index, (category, author, text, offset, status, note) in enumerate(seeds):
        report = Report.objects.create(
            space=space, author=author, category=category, description=text,
            address=f"{place.streets[offset]} {index * 3 + 2}",
            latitude=place.latitude + Decimal("0.0015") * (offset - 1),
            longitude=place.longitude + Decimal("0.0021") * (2 - offset),
            status=ReportStatus.RECEIVED if status is None else ReportStatus.PUBLISHED,
            **(_published(10 - index) if status is not None else {}),
        )  # fmt: skip
        ReportFollower.objects.create(report=report, participant=author)
        ReportStatusChange.objects.create(report=report, to_status=ReportStatus.RECEIVED,
                                          note="Ihre Meldung ist eingegangen.")  # fmt: skip
        if status is None:
            continue
        ReportStatusChange.objects.create(
            report=report,
            from_status=ReportStatus.RECEIVED,
            to_status=ReportStatus.PUBLISHED,
            note="Die Meldung ist öffentlich.",
        )
        if status != ReportStatus.PUBLISHED:
            ReportStatusChange.objects.create(report=report, from_status=ReportStatus.PUBLISHED, to_status=status,
                                              note=note)  # fmt: skip
            report.status = status
            report.save(update_fields=["status"])


def _ideas_seed(place: Place, citizen: Participant, other: Participant) -> None:
    topics = [Topic.objects.create(name_de=de, name_en=en, sort_order=n) for n, (de, en) in enumerate(TOPICS)]
    space = Space.objects.create(
        kind=Space.Kind.IDEAS, title="Ideen für die Innenstadt", slug=IDEA_SPACE,
        intro="Was würde die Innenstadt lebendiger machen? Schlagen Sie Ideen vor und unterstützen Sie andere. "
        "Die Stadtverwaltung beantwortet jede Idee.",
    )  # fmt: skip
    garden = Idea.objects.create(
        space=space, author=citizen, topic=topics[1], title="Gemeinschaftsgarten auf der Brachfläche",
        text="Auf der Brachfläche hinter dem Rathaus könnten Hochbeete für alle entstehen.",
        address=place.streets[3], status=IdeaStatus.ACCEPTED, answered_at=timezone.now(),
        answer="Eine gute Idee: Die Fläche kann für drei Jahre genutzt werden. Gründen Sie gern ein Projekt.",
        **_published(8),
    )  # fmt: skip
    IdeaStatusChange.objects.create(idea=garden, from_status=IdeaStatus.NEW, to_status=IdeaStatus.ACCEPTED,
                                    answer=garden.answer)  # fmt: skip
    benches = Idea.objects.create(
        space=space,
        author=other,
        topic=topics[0],
        title="Mehr Fahrradbügel am Markt",
        text="Am Markt fehlen sichere Abstellplätze für Fahrräder.",
        **_published(5),
    )
    Idea.objects.create(space=space, author=other, topic=topics[2], title="Sommerkino im Park",
                        text="Einmal im Monat Freiluftkino mit Filmen aus der Region.", **_published(3))  # fmt: skip
    for idea, supporters in ((garden, (other,)), (benches, (citizen,))):
        for participant in supporters:
            IdeaSupport.objects.create(idea=idea, participant=participant)
    project = Project.objects.create(idea=garden, author=citizen, title="Gemeinschaftsgarten Innenstadt",
                                     summary="Zwanzig Hochbeete, ein Wasseranschluss und ein Gartenfest.",
                                     **_published(2))  # fmt: skip
    ProjectMember.objects.create(
        project=project,
        participant=citizen,
        role=ProjectMember.Role.INITIATOR,
        motivation="Ich gärtnere gern mit anderen.",
        skills="Gartenbau, Organisation",
    )
    ProjectMember.objects.create(project=project, participant=other, motivation="Ich wohne nebenan.",
                                 skills="Tischlern")  # fmt: skip
    ProjectGoal.objects.create(project=project, text="Zwanzig Hochbeete für Nachbarinnen und Nachbarn")
    ProjectMilestone.objects.create(project=project, title="Beete gebaut", due=date(date.today().year + 1, 5, 1))
    BudgetLine.objects.create(project=project, item="Holz für Hochbeete", amount=Decimal("900.00"))
    BudgetLine.objects.create(project=project, item="Erde und Saatgut", amount=Decimal("350.00"))
    ProjectTask.objects.create(project=project, title="Holz bestellen", responsible="Nachbarin")
    FundingProgramme.objects.create(
        name="Bürgerbudget", funder="Stadtverwaltung", max_amount=Decimal("2500.00"), include_tasks=True,
        intro="Antrag auf Förderung eines Projekts von Bürgerinnen und Bürgern aus dem Bürgerbudget.",
        declaration="Wir versichern, dass die Angaben richtig sind und die Mittel nur für das Projekt "
        "verwendet werden.",
    )  # fmt: skip


def _consultation_seed(citizen: Participant, other: Participant) -> None:
    space = Space.objects.create(
        kind=Space.Kind.CONSULTATION, title="Radverkehrskonzept 2030", slug=CONSULTATION,
        deadline=timezone.now() + timedelta(days=30),
        intro="Die Stadt plant ein neues Radverkehrskonzept: durchgehende Radwege, sichere Kreuzungen, mehr "
        "Abstellanlagen. Was ist Ihnen wichtig? Schreiben Sie eine Stellungnahme.",
    )  # fmt: skip
    first = Statement.objects.create(space=space, author=citizen, text="Bitte zuerst die Schulwege sicher machen.",
                                     **_published(4))  # fmt: skip
    Statement.objects.create(space=space, author=other, text="Eine Radverbindung zum Bahnhof fehlt.",
                             **_published(2))  # fmt: skip
    StatementSupport.objects.create(statement=first, participant=other)
