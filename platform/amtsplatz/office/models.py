"""Data of the cooperation office (public schema): its audit log and its own permissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import FederalState, MunicipalityKind


class OfficeAction(models.Model):
    """One action of the office on a municipality or the platform, kept for the audit trail.

    The municipality's slug is copied, so an entry outlives a deleted municipality.
    """

    class Kind(models.TextChoices):
        ONBOARD = "onboard", _("onboarding")
        SUSPEND = "suspend", _("suspension")
        RESUME = "resume", _("resumption")
        EXPORT = "export", _("export")
        RESTORE = "restore", _("restore")
        DELETE = "delete", _("deletion")
        ANNOUNCE = "announce", _("announcement")
        AGGREGATE = "aggregate", _("dashboard figures")
        BUNDLE = "bundle", _("service bundle")

    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    municipality = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    municipality_slug = models.CharField(_("municipality (short name)"), max_length=40, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("office action")
        verbose_name_plural = _("office actions")
        permissions = [
            ("manage_municipalities", _("Can onboard, suspend, export, restore and delete municipalities")),
            ("view_dashboard", _("Can see the cross-municipality dashboard")),
            ("post_announcement", _("Can post announcements to municipalities")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.municipality_slug}".strip()


class OnboardingJob(models.Model):
    """A request to onboard a municipality and its visible progress (the Celery task works it off)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(_("input"))
    via = models.CharField(_("requested via"), max_length=10, default="office")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    municipality = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    error = models.TextField(_("reason of the failure"), blank=True)
    invitation_sent = models.BooleanField(_("invitation sent"), default=False)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboardings")

    def __str__(self) -> str:
        return f"{self.params.get('name', '')} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class OfficeApiToken(models.Model):
    """A bearer token for the office API (``POST /api/v1/municipalities``); only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("office API token")
        verbose_name_plural = _("office API tokens")

    def __str__(self) -> str:
        return self.name


class MunicipalityExport(models.Model):
    """One export of a municipality and its visible progress; when done, one archive on S3.

    The archive holds the schema dump and the media of the municipality with a manifest of checksums.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    municipality = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    municipality_slug = models.CharField(_("municipality (short name)"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    error = models.TextField(_("reason of the failure"), blank=True)
    bucket = models.CharField(_("bucket"), max_length=255, blank=True)
    key = models.CharField(_("object key"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256 of the archive"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return (
            f"s3://{self.bucket}/{self.key}" if self.key else f"{self.municipality_slug} ({self.get_status_display()})"
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class DashboardFigure(models.Model):
    """One figure of the office dashboard, computed by the aggregation task, never per page view.

    ``month`` is the first day of the month a monthly figure counts, or empty for a current total.
    """

    class Metric(models.TextChoices):
        MUNICIPALITIES_BY_STATUS = "status", _("municipalities by status")
        MUNICIPALITIES_BY_PLAN = "plan", _("municipalities by plan")
        MRR = "mrr", _("monthly recurring revenue (EUR)")
        APPLICATIONS = "applications", _("applications filed")
        ADOPTION = "adoption", _("municipalities offering a service")
        PARTICIPATION = "participation", _("participation activity")
        APPOINTMENTS = "appointments", _("appointments kept or missed")
        APPOINTMENT_NO_SHOWS = "appointment_no_shows", _("appointments missed (no-show)")
        APPOINTMENT_WAIT = "appointment_wait", _("mean waiting time at the counter (minutes)")

    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    dimension = models.CharField(_("dimension"), max_length=120, blank=True)
    month = models.DateField(_("month"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    computed = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["metric", "month", "dimension"]
        verbose_name = _("dashboard figure")
        verbose_name_plural = _("dashboard figures")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "dimension", "month"], name="dashboard_figure_once", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.dimension} {self.month or ''}: {self.value}"


class Announcement(models.Model):
    """A message of the office to the administrators of all or selected municipalities."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    link = models.URLField(_("link"), blank=True)
    to_all = models.BooleanField(_("to all municipalities"), default=False)
    # To every municipality whose AGS begins with these digits: a federal state (2) or a district (5), later
    # ones included, like ``to_all``.
    ags_prefix = models.CharField(_("AGS begins with"), max_length=5, blank=True)
    municipalities = models.ManyToManyField(
        "tenants.Municipality", blank=True, related_name="+", verbose_name=_("municipalities")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title

    @property
    def state_name(self) -> str:
        """The federal state an announcement is for (a two-digit AGS prefix), else empty."""
        return str(FederalState(self.ags_prefix).label) if len(self.ags_prefix) == 2 else ""


class AnnouncementDelivery(models.Model):
    """The e-mail of an announcement to one municipality's administrators was sent (a retried task sends none)."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="deliveries")
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="+")
    recipients = models.PositiveIntegerField(default=0)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "municipality"], name="announcement_delivered_once")
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.municipality_id}"


class ServiceBundle(models.Model):
    """The office's recommended services for a kind of municipality, in one federal state or in all of them.

    Onboarding adopts the bundle that fits the new municipality in one step: the one of its state and kind,
    else the one of its kind for every state.
    """

    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FederalState.choices,
        blank=True,
        help_text=_("Empty: for every federal state without a bundle of its own."),
    )
    kind = models.CharField(_("kind of municipality"), max_length=20, choices=MunicipalityKind.choices)
    services = models.ManyToManyField(
        "services_catalog.ServiceDefinition", verbose_name=_("services"), related_name="+", blank=True
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind", "state", "name"]
        verbose_name = _("service bundle")
        verbose_name_plural = _("service bundles")
        constraints = [models.UniqueConstraint(fields=["state", "kind"], name="office_bundle_one_per_state_and_kind")]

    def __str__(self) -> str:
        return self.name


class BulkOnboarding(models.Model):
    """A CSV of municipalities uploaded by the office: previewed, confirmed, then created one per step by a task.

    Its rows keep what the file said; the preview checks them anew each time it is shown, the task once more
    before each creation. A municipality whose AGS exists already is skipped, so the same file twice creates
    nothing twice.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("waiting for confirmation")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    language = models.CharField(_("language"), max_length=10, default="de")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("bulk onboarding")
        verbose_name_plural = _("bulk onboardings")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.DONE


class BulkOnboardingRow(models.Model):
    """One line of an uploaded CSV and, once worked off, what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        CREATED = "created", _("created")
        SKIPPED = "skipped", _("skipped: exists already")
        FAILED = "failed", _("failed")
        EXCLUDED = "excluded", _("not created: errors in the file")

    bulk = models.ForeignKey(BulkOnboarding, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("line"))
    name = models.CharField(_("name"), max_length=200)
    ags = models.CharField(_("municipality key (AGS)"), max_length=20)
    state = models.CharField(_("federal state"), max_length=40)
    domain = models.CharField(_("domain"), max_length=253)
    admin_email = models.CharField(_("administrator e-mail"), max_length=254)
    slug = models.CharField(_("short name"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    job = models.ForeignKey(
        OnboardingJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("onboarding")
    )
    municipality = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["bulk", "line"]
        verbose_name = _("bulk onboarding row")
        verbose_name_plural = _("bulk onboarding rows")
        constraints = [models.UniqueConstraint(fields=["bulk", "line"], name="bulk_onboarding_line_once")]
        indexes = [models.Index(fields=["bulk", "status", "line"], name="bulk_onboarding_row_todo")]

    def __str__(self) -> str:
        return f"{self.line}: {self.name} ({self.get_status_display()})"
