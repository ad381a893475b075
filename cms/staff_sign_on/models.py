"""Single sign-on of a municipality's staff with its own OpenID Connect provider (ADR 0079)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


def parse_group_mapping(text: str) -> dict[str, str]:
    """``provider group = Wagtail group`` per line → {provider group: Wagtail group}; blank lines are skipped."""
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        left, sep, right = line.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise ValidationError(
                _("Line %(number)s: write “provider group = portal group”."), params={"number": number}
            )
        mapping[left.strip()] = right.strip()
    return mapping


class StaffSignOnForm(WagtailAdminModelForm):
    """The client secret is never shown back: a blank field keeps the stored one."""

    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored, never shown again. Leave empty to keep the current secret."),
    )

    def clean_client_secret(self) -> str:
        return str(self.cleaned_data.get("client_secret") or "") or self.instance.client_secret

    def clean_group_mapping(self) -> str:
        text = str(self.cleaned_data.get("group_mapping") or "")
        mapping = parse_group_mapping(text)
        unknown = sorted(set(mapping.values()) - set(Group.objects.values_list("name", flat=True)))
        if unknown:
            raise ValidationError(_("Unknown portal groups: %(groups)s"), params={"groups": ", ".join(unknown)})
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("enabled"):
            for name in ("discovery_url", "client_id", "client_secret", "group_mapping"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed for the staff login."))
        return cleaned


@register_setting(icon="key")
class StaffSignOn(BaseGenericSetting):
    """Where and as whom the portal's staff login asks the municipality's identity provider."""

    base_form_class = StaffSignOnForm

    enabled = models.BooleanField(_("staff login with the identity provider"), default=False)
    discovery_url = models.URLField(
        _("discovery URL"),
        blank=True,
        help_text=_(
            "The provider's OpenID configuration, e.g. https://id.example/realms/rathaus/.well-known/openid-configuration"
        ),
    )
    client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    groups_claim = models.CharField(_("claim with the groups"), max_length=100, default="groups")
    group_mapping = models.TextField(
        _("group mapping"),
        blank=True,
        help_text=_("One line per group: “provider group = portal group”, e.g. “rathaus-redaktion = Editors”."),
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("discovery_url"),
        FieldPanel("client_id"),
        FieldPanel("client_secret"),
        FieldPanel("groups_claim"),
        FieldPanel("group_mapping"),
    ]

    class Meta:
        verbose_name = _("Staff login (single sign-on)")

    @property
    def usable(self) -> bool:
        return bool(self.enabled and self.discovery_url and self.client_id and self.client_secret)

    def mapping(self) -> dict[str, str]:
        return parse_group_mapping(self.group_mapping)


class StaffIdentity(models.Model):
    """Which staff account a subject of the municipality's identity provider is."""

    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_identity")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="staff_identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
