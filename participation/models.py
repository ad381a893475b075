"""Citizen participation of one municipality (tenant schema): spaces, defect reports, ideas, statements, projects.

Every contribution passes moderation (``Contribution``): it is public only when published and not hidden by flags.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from amtsplatz.storage import private_storage
from participation.states import IdeaStatus, Moderation, ReportStatus

LATITUDE = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


@register_setting(icon="group")
class ParticipationSettings(BaseGenericSetting):
    """Limits and defaults of the participation platform, per municipality (Settings → Participation)."""

    flags_to_hide = models.PositiveSmallIntegerField(
        _("flags that hide a contribution"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("After this many flags a published contribution is hidden until a moderator has looked at it."),
    )
    proof_of_work_bits = models.PositiveSmallIntegerField(
        _("anti-spam check: difficulty (bits)"),
        default=16,
        validators=[MaxValueValidator(24)],
        help_text=_("Work the visitor's browser does before a form is sent; each bit doubles it. 0 switches it off."),
    )
    guest_reports = models.BooleanField(
        _("guests may report defects"),
        default=True,
        help_text=_(
            "Without an account, with an e-mail address confirmed by a link; such reports always wait for a moderator."
        ),
    )
    contributions_per_account = models.PositiveSmallIntegerField(
        _("contributions per account and hour"), default=10, validators=[MinValueValidator(1)]
    )
    contributions_per_ip = models.PositiveSmallIntegerField(
        _("contributions per network address and hour"), default=30, validators=[MinValueValidator(1)]
    )
    reactions_per_account = models.PositiveSmallIntegerField(
        _("supports, follows and flags per account and hour"), default=120, validators=[MinValueValidator(1)]
    )
    reactions_per_ip = models.PositiveSmallIntegerField(
        _("supports, follows and flags per network address and hour"), default=300, validators=[MinValueValidator(1)]
    )
    sign_ups_per_ip = models.PositiveSmallIntegerField(
        _("sign-ups per network address and hour"), default=5, validators=[MinValueValidator(1)]
    )
    map_latitude = models.DecimalField(
        _("map centre: latitude"), max_digits=9, decimal_places=6, default=Decimal("51.0"), validators=LATITUDE
    )
    map_longitude = models.DecimalField(
        _("map centre: longitude"), max_digits=9, decimal_places=6, default=Decimal("12.0"), validators=LONGITUDE
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=13, validators=[MinValueValidator(5), MaxValueValidator(18)]
    )

    class Meta:
        verbose_name = _("participation")


class Participant(models.Model):
    """The participation profile of a citizen account: the public pseudonym, an optional real name never shown."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant")
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    real_name = models.CharField(
        _("real name (optional, never shown)"),
        max_length=200,
        blank=True,
        help_text=_("Only the administration sees it, e.g. to answer a project's funding application."),
    )
    language = models.CharField(max_length=5, default="de")
    blocked_at = models.DateTimeField(_("blocked"), null=True, blank=True)
    blocked_reason = models.TextField(_("reason for blocking"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        constraints = [models.UniqueConstraint(Lower("pseudonym"), name="participant_pseudonym_unique")]
        permissions = [
            ("moderate", _("Can moderate contributions and block participants")),
            ("work_reports", _("Can work defect reports")),
            ("manage_participation", _("Can answer ideas and close consultations")),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


class Topic(models.Model):
    """A category of ideas (e.g. "Verkehr", "Grünflächen")."""

    name_de = models.CharField(_("name (German)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("idea category")
        verbose_name_plural = _("idea categories")
        ordering = ["sort_order", "name_de"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") and self.name_en else self.name_de


class ReportCategory(models.Model):
    """A kind of defect; new reports of it go to its office's e-mail address."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name_de = models.CharField(_("name (German)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    office_name = models.CharField(_("responsible office"), max_length=200)
    office_email = models.EmailField(_("office e-mail"))
    is_active = models.BooleanField(_("offered"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("defect category")
        verbose_name_plural = _("defect categories")
        ordering = ["sort_order", "name_de"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") and self.name_en else self.name_de


class Space(models.Model):
    """Where citizens contribute: the defect reporter, an idea space, or a consultation."""

    class Kind(models.TextChoices):
        REPORTS = "reports", _("defect reports")
        IDEAS = "ideas", _("ideas")
        CONSULTATION = "consultation", _("consultation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    intro = models.TextField(_("text"), blank=True)
    premoderation = models.BooleanField(
        _("pre-moderation"),
        default=True,
        help_text=_("On: contributions appear only after a moderator has approved them."),
    )
    is_open = models.BooleanField(_("open for contributions"), default=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    documents: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name=_("documents"), blank=True
    )
    summary = models.TextField(_("published summary"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation space")
        verbose_name_plural = _("participation spaces")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

    @property
    def accepts_contributions(self) -> bool:
        if not self.is_open or self.closed_at is not None:
            return False
        return self.deadline is None or self.deadline > timezone.now()


class ContributionQuerySet(models.QuerySet[Any]):
    def public(self) -> ContributionQuerySet:
        return self.filter(moderation=Moderation.PUBLISHED, hidden_at__isnull=True)


class Contribution(models.Model):
    """What every moderated contribution has: author, moderation state, flags."""

    KIND: ClassVar[str] = ""

    author = models.ForeignKey(
        Participant, verbose_name=_("author"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    # False when the browser did not solve the anti-spam check: then it waits for a moderator in any space.
    checked = models.BooleanField(default=True)
    hidden_at = models.DateTimeField(_("hidden by flags"), null=True, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.moderation == Moderation.PUBLISHED and self.hidden_at is None

    @property
    def author_label(self) -> str:
        if self.author:
            return self.author.pseudonym
        return str(_("guest")) if getattr(self, "guest_email", "") else str(_("deleted account"))

    @property
    def label(self) -> str:
        return str(getattr(self, "title", "") or str(getattr(self, "text", getattr(self, "description", "")))[:80])


def _photo_path(instance: Any, filename: str) -> str:
    return f"participation/{uuid.uuid4().hex}{instance.extension}"


class Report(Contribution):
    """A defect report (Mängelmeldung)."""

    KIND = "report"

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="reports")
    category = models.ForeignKey(ReportCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    description = models.TextField(_("description"), max_length=2000)
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    contact_allowed = models.BooleanField(_("the office may contact me"), default=False)
    contact_phone = models.CharField(_("phone for questions"), max_length=40, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A guest's report (no account): the address to confirm and to tell about the outcome, the link's token.
    guest_email = models.EmailField(_("guest's e-mail address"), blank=True)
    guest_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("defect report")
        ordering = ["-created"]
        indexes = [models.Index(fields=["category", "created"]), models.Index(fields=["moderation", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category}"

    @property
    def title(self) -> str:
        return f"{self.category.name}: {self.address or self.description[:40]}"


class ReportPhoto(models.Model):
    """A photo of a report: re-encoded without metadata, stored privately, shown only while the report is public."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to=_photo_path, max_length=300)
    content_type = models.CharField(max_length=20)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.file.name)


class ReportStatusChange(models.Model):
    """One public step of a report, with the note the office gave."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    note = models.TextField(_("public note"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ReportFollower(models.Model):
    """Someone who gets an e-mail when the report's status changes."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="followed_reports")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "participant"], name="report_follow_once")]

    def __str__(self) -> str:
        return f"{self.participant} → {self.report_id}"


class Idea(Contribution):
    """An idea proposed in an idea space; others support it, the administration answers."""

    KIND = "idea"

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="ideas")
    topic = models.ForeignKey(Topic, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(_("title"), max_length=140)
    text = models.TextField(_("your idea"), max_length=4000)
    address = models.CharField(_("place (optional)"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    image = models.FileField(storage=private_storage, upload_to=_photo_path, max_length=300, blank=True)
    image_type = models.CharField(max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    answer = models.TextField(_("answer of the administration"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("idea")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return ".png" if self.image_type == "image/png" else ".jpg"


class IdeaStatusChange(models.Model):
    """One public answer of the administration to an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    to_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    answer = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class IdeaSupport(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="idea_supports")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "participant"], name="idea_support_once")]

    def __str__(self) -> str:
        return f"{self.participant} + {self.idea_id}"


class Statement(Contribution):
    """A statement on a consultation. Deliberately without a parent: nobody can reply to a statement."""

    KIND = "statement"

    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(_("your statement"), max_length=3000)

    class Meta:
        verbose_name = _("statement")
        ordering = ["created"]

    def __str__(self) -> str:
        return self.text[:60]


class StatementSupport(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="statement_supports")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "participant"], name="statement_support_once")]

    def __str__(self) -> str:
        return f"{self.participant} + {self.statement_id}"


class Project(Contribution):
    """A citizen project grown from an idea: a team plans it and applies for funding."""

    KIND = "project"

    idea = models.ForeignKey(Idea, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("project title"), max_length=140)
    summary = models.TextField(_("what the project wants to achieve"), max_length=3000)

    class Meta:
        verbose_name = _("citizen project")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.title


class ProjectMember(models.Model):
    class Role(models.TextChoices):
        INITIATOR = "initiator", _("initiator")
        MEMBER = "member", _("member")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="project_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    motivation = models.TextField(_("why I join"), max_length=1000)
    skills = models.CharField(_("what I can contribute"), max_length=300)
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "participant"], name="project_member_once")]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.project_id}"


class ProjectGoal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class ProjectMilestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due on"))
    done = models.BooleanField(_("reached"), default=False)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("cost item"), max_length=200)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ProjectTask(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    responsible = models.CharField(_("who"), max_length=80, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class FundingProgramme(models.Model):
    """A funding programme of the municipality and the template of its application document."""

    name = models.CharField(_("programme"), max_length=200)
    funder = models.CharField(_("funding body"), max_length=200)
    intro = models.TextField(_("introduction on the application"), blank=True)
    max_amount = models.DecimalField(_("maximum funding (€)"), max_digits=9, decimal_places=2, null=True, blank=True)
    include_goals = models.BooleanField(_("section: goals"), default=True)
    include_milestones = models.BooleanField(_("section: milestones"), default=True)
    include_budget = models.BooleanField(_("section: budget"), default=True)
    include_tasks = models.BooleanField(_("section: tasks"), default=False)
    declaration = models.TextField(
        _("declaration to sign"), blank=True, help_text=_("Printed above the signature lines.")
    )
    is_active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("funding programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Flag(models.Model):
    """Someone thinks a published contribution breaks the rules."""

    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "item_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item_id", "participant"],
                condition=models.Q(participant__isnull=False),
                name="flag_once_per_participant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id}"


class ModerationLog(models.Model):
    """Every moderation action: approve, reject, edit, hide, restore, block, unblock (kept after deletions)."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("approved")
        REJECT = "reject", _("rejected")
        EDIT = "edit", _("edited")
        HIDE = "hide", _("hidden after flags")
        RESTORE = "restore", _("restored after review")
        BLOCK = "block", _("blocked participant")
        UNBLOCK = "unblock", _("unblocked participant")

    kind = models.CharField(max_length=20)
    item_id = models.PositiveBigIntegerField()
    item_label = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("moderation log entry")

    def __str__(self) -> str:
        return f"{self.action} {self.kind} {self.item_id}"


class ModeratorDigest(models.Model):
    """One digest per day: a retried or duplicated task sends nothing twice."""

    day = models.DateField(unique=True)
    pending = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.day}: {self.pending}"
