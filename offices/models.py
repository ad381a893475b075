"""A municipality's offices (tenant schema): address, opening hours, accessibility, services, area rules."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel

from amtsplatz.infra.addresses import normalise_street
from offices.base import OfficeBase, OpeningExceptionBase, OpeningIntervalBase, validate_postcode
from services_catalog.local.models import LocalService


class Office(ClusterableModel, OfficeBase):
    """A Dienststelle of the municipality and the adopted services citizens get there."""

    services = ParentalManyToManyField(
        LocalService, verbose_name=_("services provided here"), blank=True, related_name="offices"
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="office_unique_slug")]


class OpeningInterval(OpeningIntervalBase):
    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="opening_intervals")

    class Meta(OpeningIntervalBase.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


class OpeningException(OpeningExceptionBase):
    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="opening_exceptions")

    class Meta(OpeningExceptionBase.Meta):
        verbose_name = _("closure or special hours")
        verbose_name_plural = _("closures and special hours")


class Parity(models.TextChoices):
    ALL = "all", _("all numbers")
    ODD = "odd", _("odd numbers")
    EVEN = "even", _("even numbers")


class AreaRule(models.Model):
    """Citizens living in this area go to ``office`` (for the services it provides).

    A postcode alone covers all of it; a street narrows it, house numbers narrow the street.
    """

    office = ParentalKey(Office, on_delete=models.CASCADE, related_name="area_rules")
    postcode = models.CharField(_("postcode"), max_length=5, validators=[validate_postcode])
    street = models.CharField(_("street"), max_length=200, blank=True, help_text=_("Empty: the whole postcode."))
    number_from = models.PositiveIntegerField(_("house numbers from"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("house numbers to"), null=True, blank=True)
    parity = models.CharField(_("which numbers"), max_length=4, choices=Parity.choices, default=Parity.ALL)

    class Meta:
        verbose_name = _("area rule")
        verbose_name_plural = _("area rules")
        ordering = ["postcode", "street", "number_from"]

    def __str__(self) -> str:
        return f"{self.postcode} {self.street} {self.number_from or ''}–{self.number_to or ''}".strip()

    def clean(self) -> None:
        if (self.number_from is not None or self.number_to is not None) and not self.street:
            raise ValidationError({"street": _("House numbers need a street.")})
        if self.number_from is not None and self.number_to is not None and self.number_to < self.number_from:
            raise ValidationError({"number_to": _("The last house number is lower than the first.")})

    def matches(self, *, postcode: str, street: str, number: int | None) -> bool:
        if postcode != self.postcode:
            return False
        if not self.street:
            return True
        if not street or normalise_street(street) != normalise_street(self.street):
            return False
        if self.number_from is None and self.number_to is None and self.parity == Parity.ALL:
            return True
        if number is None:
            return False
        if self.number_from is not None and number < self.number_from:
            return False
        if self.number_to is not None and number > self.number_to:
            return False
        return self.parity == Parity.ALL or (number % 2 == 1) == (self.parity == Parity.ODD)

    @property
    def specificity(self) -> int:
        """A street with numbers beats a street, a street beats a postcode."""
        return (2 if self.number_from is not None or self.number_to is not None else 0) + (1 if self.street else 0)


CONTACT_RETENTION_DAYS = 180  # ADR 0096: time to answer, ask back and close; then the request is deleted


def contact_reference() -> str:
    """A reference a citizen can quote (K-7QM4-XW2P): random, so it tells nobody how many requests came in."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out on the phone
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"K-{code[:4]}-{code[4:]}"


class ContactRequest(models.Model):
    """A message from the contact form to one office (or, without one, to the municipality's general address).

    Personal data: deleted ``CONTACT_RETENTION_DAYS`` after receipt by the sweep (ADR 0096); exported and erased
    with a citizen account of the same e-mail address (``offices.personal_data``).
    """

    reference = models.CharField(_("reference"), max_length=16, default=contact_reference, editable=False)
    office = models.ForeignKey(
        Office, verbose_name=_("office"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contact_requests", help_text=_("Empty: the municipality in general."),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=5000)
    service_key = models.SlugField(_("service"), max_length=80, blank=True, db_index=False)  # never searched by
    question = models.CharField(_("question asked"), max_length=300, blank=True)
    language = models.CharField(max_length=5, default="de")
    created = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    office_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True, editable=False)
    done_by = models.CharField(_("done by"), max_length=150, blank=True, editable=False)

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["reference"], name="contact_request_unique_reference")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"
