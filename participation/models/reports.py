"""Defect reports (Mängelmeldungen): categories, photos, status history, followers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra.storage import private_storage
from participation.models.participants import Participant
from participation.models.spaces import LATITUDE, LONGITUDE, Contribution, Space, _photo_path
from participation.states import ReportStatus


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
