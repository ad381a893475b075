"""What a citizen account keeps besides the user row: the Postfach and the profile for prefilling forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PostboxMessage(models.Model):
    """A message from the administration to one citizen account (the Postfach of "Mein Konto")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="postbox_messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("Postfach message")

    def __str__(self) -> str:
        return self.subject


class Profile(models.Model):
    """Name and address the citizen keeps in the account; used to prefill forms only with their consent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile")
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street and house number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    prefill_allowed = models.BooleanField(_("prefill forms with these details"), default=False)
    prefill_allowed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or str(self.user_id)
