"""Online applications of a municipality (tenant schema): the application, its files, history and payments."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from amtsplatz.infra.addresses import normalise_street
from amtsplatz.infra.storage import private_storage
from applications.audit_words import AUDIT_WORDS
from applications.states import CLOSED, Status
from services_catalog.local.models import LocalService
from services_catalog.models import ServiceVersion


def _access_token() -> str:
    return secrets.token_urlsafe(32)


class ServiceDesk(models.Model):
    """Who works the applications of one adopted service, and where they are handed over."""

    class HandoverOn(models.TextChoices):
        SUBMISSION = "submission", _("on submission")
        DECISION = "decision", _("on decision")

    service = models.OneToOneField(LocalService, on_delete=models.CASCADE, related_name="desk")
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("caseworker groups"),
        blank=True,
        help_text=_("Members of these groups see and work this service's applications."),
    )
    handover_url = models.URLField(_("back-office endpoint"), blank=True)
    handover_secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    handover_on = models.CharField(
        _("hand over"), max_length=20, choices=HandoverOn.choices, default=HandoverOn.SUBMISSION
    )

    class Meta:
        verbose_name = _("service desk")

    def __str__(self) -> str:
        return str(self.service)


class ReferenceCounter(models.Model):
    """The last reference number given out per prefix and year (row-locked when counting)."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="referencecounter_unique_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Application(models.Model):
    """One citizen's application for one adopted service, filled against one exact catalogue version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    access_token = models.CharField(max_length=64, unique=True, default=_access_token, editable=False)
    service = models.ForeignKey(LocalService, verbose_name=_("service"), on_delete=models.PROTECT)
    version = models.ForeignKey(ServiceVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("form data"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=5, default="de")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    applicant_email = models.EmailField(_("e-mail"))
    applicant_name = models.CharField(_("name"), max_length=200, blank=True)
    auth_method = models.CharField(_("login method"), max_length=30, blank=True)
    auth_level = models.CharField(_("trust level of the login"), max_length=20, blank=True)
    verified = models.JSONField(
        _("values from the eID"),
        default=dict,
        blank=True,
        help_text=_("Form values the identity provider confirmed (field id → value); the citizen cannot change them."),
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed at the counter by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    idempotency_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    fee = models.DecimalField(_("fee"), max_digits=9, decimal_places=2, default=Decimal("0.00"))
    auto_decision_done = models.BooleanField(default=False)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_document = models.FileField(storage=private_storage, blank=True, max_length=300)
    # Verified facts the decision rests on (parking zone from the address, main residence from a register).
    facts = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Submission plus the service's processing time (applications.deadlines); empty when it names none.
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        ordering = ["-submitted_at", "-created"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["due_at"], name="application_due_at_idx"),
        ]
        permissions = [("view_all_applications", _("Can see and work all applications"))]

    def __str__(self) -> str:
        return self.reference or str(self.public_id)

    @property
    def service_name(self) -> str:
        return self.version.name(self.language)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_overdue(self) -> bool:
        """Past its due date and not yet closed."""
        return bool(self.due_at and self.due_at < timezone.now() and self.status not in CLOSED)

    @property
    def fee_due(self) -> bool:
        return self.fee > 0 and not self.payments.filter(status=Payment.State.PAID).exists()


def attachment_path(attachment: Attachment, filename: str) -> str:
    return f"applications/{attachment.application.public_id}/{uuid.uuid4().hex}{attachment.extension}"


class Attachment(models.Model):
    """A cleaned upload (type checked by content, images re-encoded), stored privately."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    field_id = models.CharField(max_length=40)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_staff = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One entry of an application's history: who moved it from where to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=200, blank=True)
    comment = models.TextField(blank=True)
    # The language the comment was written in (the active language when it was recorded): pages in another
    # language mark it with lang="…".
    comment_language = models.CharField(max_length=5, blank=True)
    public = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Message(models.Model):
    """A request for information from the office, or the citizen's answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    from_office = models.BooleanField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Payment(models.Model):
    """One attempt to pay an application's fee through a payment provider."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        ON_SITE = "on_site", _("to be paid on site")
        PAID = "paid", _("paid")
        CANCELLED = "cancelled", _("cancelled")
        REFUNDED = "refunded", _("refunded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    status = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    provider_reference = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.status}"


class InternalNote(models.Model):
    """A caseworker's note on an application, seen only by staff who may see the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("note"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("internal note")

    def __str__(self) -> str:
        return self.text[:60]


class AuditEntry(models.Model):
    """Every view, download and action of staff on an application (kept after anonymisation)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="audit")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.action} {self.detail}"

    @property
    def action_label(self) -> str:
        """What happened, in words ("Antrag angesehen"); unknown codes as they are."""
        return str(AUDIT_WORDS.get(self.action, self.action))


class Handover(models.Model):
    """One delivery of an application to the service's back-office endpoint."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="handovers")
    event = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["application", "event"], name="handover_once_per_event")]

    def __str__(self) -> str:
        return f"{self.event}: {self.status}"


class StaffProfile(models.Model):
    """How a staff member signs decisions: "Im Auftrag", name, role and office (never the login)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    display_name = models.CharField(_("name as signed"), max_length=120, help_text=_("e.g. Anna Schmidt"))
    role = models.CharField(_("role"), max_length=120, blank=True, help_text=_("e.g. Sachbearbeiterin"))
    office = models.CharField(_("office"), max_length=200, help_text=_("e.g. Straßenverkehrsbehörde"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class ReasonTemplate(models.Model):
    """A Textbaustein: a reason caseworkers insert into a decision of one service."""

    class Outcome(models.TextChoices):
        ANY = "any", _("approval and refusal")
        APPROVE = "approve", _("approval")
        REJECT = "reject", _("refusal")

    service = models.ForeignKey(
        LocalService, verbose_name=_("service"), on_delete=models.CASCADE, related_name="reason_templates"
    )
    outcome = models.CharField(_("used for"), max_length=10, choices=Outcome.choices, default=Outcome.ANY)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("text template")
        verbose_name_plural = _("text templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Parity(models.TextChoices):
    ALL = "all", _("all numbers")
    ODD = "odd", _("odd numbers")
    EVEN = "even", _("even numbers")


class ParkingZone(ClusterableModel):
    """A residents' parking zone: the streets and house numbers whose residents may park in it."""

    code = models.CharField(_("zone"), max_length=10, unique=True, help_text=_("As on the signs, e.g. A or G1."))
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Innenstadt"))

    class Meta:
        verbose_name = _("parking zone")
        verbose_name_plural = _("parking zones")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class ParkingZoneStreet(models.Model):
    """One street (or its odd or even numbers in a range) that belongs to a zone."""

    zone = ParentalKey(ParkingZone, on_delete=models.CASCADE, related_name="streets")
    street = models.CharField(_("street"), max_length=200)
    number_from = models.PositiveIntegerField(_("house numbers from"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("house numbers to"), null=True, blank=True)
    parity = models.CharField(_("which numbers"), max_length=4, choices=Parity.choices, default=Parity.ALL)

    class Meta:
        verbose_name = _("street of a zone")
        verbose_name_plural = _("streets of a zone")
        ordering = ["street", "number_from"]

    def __str__(self) -> str:
        return f"{self.street} {self.number_from or ''}–{self.number_to or ''}".strip(" –")

    def clean(self) -> None:
        if self.number_from is not None and self.number_to is not None and self.number_to < self.number_from:
            raise ValidationError({"number_to": _("The last house number is lower than the first.")})

    def matches(self, street: str, number: int | None) -> bool:
        if normalise_street(street) != normalise_street(self.street):
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


class DemoResident(models.Model):
    """An entry of the Demo-Melderegister: made-up residents for demonstrations, never a real register."""

    given_names = models.CharField(_("given names"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    birth_date = models.DateField(_("date of birth"))
    street_and_number = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    city = models.CharField(_("town"), max_length=80)
    main_residence = models.BooleanField(_("main residence"), default=True)

    class Meta:
        verbose_name = _("Demo-Melderegister entry")
        verbose_name_plural = _("Demo-Melderegister (test data, not a real register)")
        ordering = ["family_name", "given_names"]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}, {self.street_and_number}"


@register_setting(icon="doc-full")
class DecisionLetterSettings(BaseGenericSetting):
    """Settings → Decision letters: the electronic ways an objection may be lodged, each only if offered."""

    objection_email = models.EmailField(
        _("e-mail for objections with a qualified electronic signature"),
        blank=True,
        help_text=_("Only if this mailbox accepts documents with a qualified electronic signature (§ 3a VwVfG)."),
    )
    objection_de_mail = models.EmailField(_("De-Mail address"), blank=True)
    objection_online_url = models.URLField(
        _("online service for objections"),
        blank=True,
        help_text=_("The municipality's electronic access, e.g. a form with eID login."),
    )

    class Meta:
        verbose_name = _("decision letters")
