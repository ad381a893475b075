"""Billing data of the platform (public schema): Stripe events, plans, subscriptions, invoices."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeEvent(models.Model):
    """A verified webhook event; the unique id makes a redelivered event a no-op."""

    class Endpoint(models.TextChoices):
        PLATFORM = "platform", _("platform (billing)")
        CONNECT = "connect", _("connected accounts (citizen fees)")

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    endpoint = models.CharField(_("endpoint"), max_length=10, choices=Endpoint.choices)
    type = models.CharField(_("type"), max_length=100)
    account = models.CharField(_("connected account"), max_length=255, blank=True)
    livemode = models.BooleanField(_("live mode"), default=False)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class Plan(models.Model):
    """A price the office offers municipalities, by inhabitants tier and billing interval."""

    class Interval(models.TextChoices):
        MONTH = "month", _("monthly")
        YEAR = "year", _("yearly")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    inhabitants_min = models.PositiveIntegerField(_("from inhabitants"), default=0)
    inhabitants_max = models.PositiveIntegerField(
        _("up to inhabitants"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )
    interval = models.CharField(_("interval"), max_length=5, choices=Interval.choices, default=Interval.MONTH)
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.50"))]
    )
    active = models.BooleanField(_("offered"), default=True)
    # Prices are immutable at Stripe: a changed amount or interval gets a new price on the next subscription.
    stripe_price_id = models.CharField(_("Stripe price"), max_length=255, blank=True, editable=False)
    stripe_price_for = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        ordering = ["interval", "inhabitants_min"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inhabitants_max__isnull=True)
                | models.Q(inhabitants_max__gt=models.F("inhabitants_min")),
                name="plan_tier_upper_above_lower",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_interval_display()})"

    @property
    def amount_cents(self) -> int:
        return int(self.amount * 100)

    @property
    def price_signature(self) -> str:
        """What the Stripe price was made for; a different signature needs a new price."""
        return f"{self.amount_cents}-{self.interval}"

    def covers(self, inhabitants: int) -> bool:
        return inhabitants >= self.inhabitants_min and (
            self.inhabitants_max is None or inhabitants <= self.inhabitants_max
        )


class Subscription(models.Model):
    """A municipality's subscription to the platform, mirrored from Stripe Billing."""

    class State(models.TextChoices):
        PENDING = "pending", _("not yet active")
        ACTIVE = "active", _("active")
        PAST_DUE = "past_due", _("past due")
        SUSPENDED = "suspended", _("suspended (unpaid)")
        CANCELLED = "cancelled", _("cancelled")

    municipality = models.OneToOneField(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="subscription", verbose_name=_("municipality")
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("plan"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True)
    stripe_subscription_id = models.CharField(_("Stripe subscription"), max_length=255, blank=True)
    past_due_since = models.DateTimeField(_("past due since"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("paid until"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("state changed"), auto_now_add=True)

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~models.Q(stripe_subscription_id=""),
                name="subscription_stripe_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.plan} · {self.get_state_display()}"


class Invoice(models.Model):
    """An invoice of the platform to a municipality, mirrored from Stripe for the office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        PAID = "paid", _("paid")
        UNCOLLECTIBLE = "uncollectible", _("uncollectible")
        VOID = "void", _("void")

    municipality = models.ForeignKey(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="invoices", verbose_name=_("municipality")
    )
    stripe_invoice_id = models.CharField(_("Stripe invoice"), max_length=255, unique=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    amount_due = models.DecimalField(_("amount due (EUR)"), max_digits=11, decimal_places=2)
    amount_paid = models.DecimalField(_("amount paid (EUR)"), max_digits=11, decimal_places=2)
    due_date = models.DateTimeField(_("due"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    hosted_invoice_url = models.URLField(_("invoice at Stripe"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number or self.stripe_invoice_id
