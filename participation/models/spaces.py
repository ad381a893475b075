"""Spaces where citizens contribute, and what every moderated contribution shares."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models.participants import Participant
from participation.states import Moderation

LATITUDE = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]


LONGITUDE = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


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
