"""The shared service catalogue (public schema): definitions and immutable published versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services_catalog.constants import Addressee, LifeSituation, ResponsibilityLevel, TrustLevel

validate_leika_key = RegexValidator(
    r"^\d{14}$", _("A LeiKa key has exactly 14 digits; leave it empty if the service has none.")
)


class ServiceContent(models.Model):
    """Everything a published version freezes; a definition holds the same fields as its draft."""

    leika_key = models.CharField(_("LeiKa key"), max_length=14, blank=True, validators=[validate_leika_key])
    name_de = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    keywords = models.JSONField(_("keywords"), default=dict, blank=True)
    addressees = ArrayField(models.CharField(max_length=20, choices=Addressee.choices), default=list, blank=True)
    trust_level = models.CharField(_("trust level"), max_length=20, choices=TrustLevel.choices, default=TrustLevel.LOW)
    responsibility_level = models.CharField(
        _("responsible in general"),
        max_length=20,
        choices=ResponsibilityLevel.choices,
        default=ResponsibilityLevel.MUNICIPALITY,
    )
    life_situations = ArrayField(
        models.CharField(max_length=40, choices=LifeSituation.choices), default=list, blank=True
    )
    texts = models.JSONField(_("text modules"), default=dict, blank=True)
    costs = models.JSONField(_("costs"), default=dict, blank=True)
    deadlines = models.JSONField(_("deadlines"), default=list, blank=True)
    processing_time = models.JSONField(_("processing time"), null=True, blank=True)
    written_form_required = models.BooleanField(_("written form required"), default=False)
    personal_appearance_required = models.BooleanField(_("personal appearance required"), default=False)
    online_application = models.BooleanField(_("online application"), default=False)
    form_schema = models.JSONField(_("form schema"), null=True, blank=True)
    fee_rule = models.JSONField(_("fee rule"), null=True, blank=True)
    decision_rule = models.JSONField(_("decision rule"), null=True, blank=True)
    # The decision letter's titles per kind and language: {"approve": {"de": "Bescheid über …"}, "reject": …}.
    decision_title = models.JSONField(_("decision title"), default=dict, blank=True)
    appointment_minutes = models.PositiveSmallIntegerField(
        _("appointment length (minutes)"), null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Default length of an in-person appointment; municipalities may set their own per office."),
    )  # fmt: skip
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"), default=365, validators=[MinValueValidator(30)]
    )

    class Meta:
        abstract = True

    def name(self, language: str = "de") -> str:
        return self.name_en if language == "en" and self.name_en else self.name_de

    def decision_title_for(self, kind: str, language: str = "de") -> str:
        """The letter's title of ``kind`` ("approve", "reject", "permit"); empty when the catalogue names none."""
        titles = (self.decision_title or {}).get(kind) or {}
        return str(titles.get(language) or titles.get("de") or "")

    def text(self, module: str, language: str = "de") -> str:
        value = self.texts.get(module) or {}
        return str(value.get(language) or value.get("de") or "")


class ServiceDefinition(ServiceContent):
    """A service described once for all municipalities; its fields are the working draft."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    latest_version = models.ForeignKey(
        "ServiceVersion",
        verbose_name=_("latest published version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("service definition")
        verbose_name_plural = _("service definitions")
        ordering = ["name_de"]
        constraints = [
            models.UniqueConstraint(
                fields=["leika_key"],
                condition=~models.Q(leika_key=""),
                name="servicedefinition_unique_leika_key",
            )
        ]

    def __str__(self) -> str:
        return self.name_de


class ServiceVersion(ServiceContent):
    """A published, numbered, immutable snapshot of a definition.

    Applications store the exact version they were filed under. The database refuses any
    UPDATE or DELETE of a row (migration 0002), so this holds even outside the ORM.
    """

    definition = models.ForeignKey(ServiceDefinition, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Filled by a database trigger on insert (German stemming, weighted name > keywords > texts).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["definition", "-number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="serviceversion_unique_number")]
        indexes = [GinIndex(fields=["search_vector"], name="serviceversion_search")]

    def __str__(self) -> str:
        return f"{self.name_de} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(_("Published versions cannot be changed; publish a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Published versions cannot be deleted."))

    @property
    def schema_uri(self) -> str:
        """Identifies the form this version's applications were filled against (FIT-Connect)."""
        return f"urn:amtsplatz:service:{self.definition.key}:v{self.number}"
