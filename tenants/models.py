"""Municipalities (tenants, one PostgreSQL schema each) and their domains. Public schema."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import validate_ags, validate_domain, validate_slug


class FederalState(models.TextChoices):
    """The 16 Länder, keyed by the state code that starts every AGS."""

    SCHLESWIG_HOLSTEIN = "01", "Schleswig-Holstein"
    HAMBURG = "02", "Hamburg"
    NIEDERSACHSEN = "03", "Niedersachsen"
    BREMEN = "04", "Bremen"
    NORDRHEIN_WESTFALEN = "05", "Nordrhein-Westfalen"
    HESSEN = "06", "Hessen"
    RHEINLAND_PFALZ = "07", "Rheinland-Pfalz"
    BADEN_WUERTTEMBERG = "08", "Baden-Württemberg"
    BAYERN = "09", "Bayern"
    SAARLAND = "10", "Saarland"
    BERLIN = "11", "Berlin"
    BRANDENBURG = "12", "Brandenburg"
    MECKLENBURG_VORPOMMERN = "13", "Mecklenburg-Vorpommern"
    SACHSEN = "14", "Sachsen"
    SACHSEN_ANHALT = "15", "Sachsen-Anhalt"
    THUERINGEN = "16", "Thüringen"


class SuspensionReason(models.TextChoices):
    """Why a municipality is suspended: a payment resumes only what billing suspended."""

    BILLING = "billing", _("subscription unpaid")
    OFFICE = "office", _("by the cooperation office")
    SETUP = "setup", _("not live yet: the go-live checklist is incomplete")


class MunicipalityKind(models.TextChoices):
    """The municipality's place in the administration; decides which services it is responsible for."""

    INDEPENDENT_CITY = "kreisfrei", _("independent city (kreisfreie Stadt)")
    MAJOR_DISTRICT_TOWN = "grosse-kreisstadt", _("major district town (Große Kreisstadt)")
    DISTRICT_MUNICIPALITY = "kreisangehoerig", _("town or municipality within a district (kreisangehörig)")


class Municipality(TenantMixin):
    """A member municipality. Its data lives in the schema named after its slug."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=40, unique=True, validators=[validate_slug])
    ags = models.CharField(_("municipality key (AGS)"), max_length=8, unique=True, validators=[validate_ags])
    state = models.CharField(_("federal state"), max_length=2, choices=FederalState.choices)
    kind = models.CharField(
        _("kind of municipality"),
        max_length=20,
        choices=MunicipalityKind.choices,
        default=MunicipalityKind.DISTRICT_MUNICIPALITY,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("Two to five capital letters, e.g. GER."))],
        help_text=_("Begins every application reference, e.g. GER-2026-000042. Empty: from the short name."),
    )
    payment_provider = models.CharField(
        _("online payment"), max_length=20, default="onsite", help_text=_("How citizens pay fees online.")
    )
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"), null=True, blank=True, help_text=_("Decides the plan tier of the subscription.")
    )
    suspended_for = models.CharField(_("suspended for"), max_length=20, choices=SuspensionReason.choices, blank=True)
    # Stripe Connect: the municipality's own account that citizens' fees are paid into.
    stripe_account_id = models.CharField(_("Stripe account"), max_length=255, blank=True)
    stripe_charges_enabled = models.BooleanField(_("can take online payments"), default=False)

    # Schemas are cloned by tenants.services.municipality_create, never created on save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ags__regex=r"^\d{8}$"), name="municipality_ags_8_digits"),
        ]
        # The office's list at 10,000 municipalities (ADR 0094): each sort order of the list reads an index in
        # its order, the AGS prefix search an index with pattern operators. The substring search on the name
        # has a trigram index where the server has pg_trgm (migration 0005).
        indexes = [
            models.Index(fields=["name", "id"], name="municipality_name_order"),
            models.Index(fields=["state", "name", "id"], name="municipality_state_order"),
            models.Index(fields=["status", "name", "id"], name="municipality_status_order"),
            models.Index(fields=["created", "id"], name="municipality_created_order"),
            models.Index(OpClass("ags", name="varchar_pattern_ops"), name="municipality_ags_prefix"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.ags and self.state and not self.ags.startswith(self.state):
            raise ValidationError(
                {
                    "ags": _(
                        "The municipality key %(ags)s belongs to state code %(code)s, "
                        "but the federal state chosen is %(state)s."
                    )
                    % {"ags": self.ags, "code": self.ags[:2], "state": self.get_state_display()}
                }
            )

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def primary_domain_name(self) -> str | None:
        """The primary domain's host name, read once per instance (host-cached instances carry it)."""
        if _PRIMARY_DOMAIN not in self.__dict__:
            domain = self.get_primary_domain()
            self.__dict__[_PRIMARY_DOMAIN] = domain.domain if domain else None
        return self.__dict__[_PRIMARY_DOMAIN]

    def primary_domain_known(self, name: str) -> None:
        """Remember ``name`` as the primary domain (the caller has just read it)."""
        self.__dict__[_PRIMARY_DOMAIN] = name


_PRIMARY_DOMAIN = "_primary_domain_name"


class Domain(DomainMixin):
    """A host name under which a municipality's portal answers; one of them is primary."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        validate_domain(self.domain)
