"""Ideas: categories, the administration's answers, supports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra.storage import private_storage
from participation.models.participants import Participant
from participation.models.spaces import LATITUDE, LONGITUDE, Contribution, Space, _photo_path
from participation.states import IdeaStatus


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
