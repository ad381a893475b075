"""Stripe's events as received by the platform (public schema): each event id once."""

from __future__ import annotations

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
