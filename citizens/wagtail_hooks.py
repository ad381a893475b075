"""Identity providers of the municipality in /cms/ (snippets): OIDC providers and the BundID (SAML).

Secrets are never shown back: the client secret field is empty on every edit and keeps the stored
secret unless a new one is typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from citizens import services
from citizens.models import OidcProvider, SamlIdentityProvider


class OidcProviderForm(WagtailAdminModelForm):
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret."),
    )

    def clean_client_secret(self) -> str:
        typed = str(self.cleaned_data.get("client_secret") or "")
        return typed or (self.instance.client_secret if self.instance.pk else "")


class SamlProviderForm(WagtailAdminModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("metadata_url") and not self.errors:
            try:
                self.instance.metadata_xml = services.metadata_fetch(str(cleaned["metadata_url"]))
            except forms.ValidationError as error:
                self.add_error("metadata_url", error)
        return cleaned


class OidcProviderViewSet(SnippetViewSet):
    model = OidcProvider
    icon = "key"
    menu_label = _("OIDC providers")
    list_display = ["name", "issuer", "trust_level", "enabled"]

    def get_form_class(self, for_update: bool = False) -> type[WagtailAdminModelForm]:
        return forms.modelform_factory(
            OidcProvider,
            form=OidcProviderForm,
            fields=["name", "slug", "issuer", "client_id", "client_secret", "scopes", "trust_level", "enabled"],
        )


class SamlProviderViewSet(SnippetViewSet):
    model = SamlIdentityProvider
    icon = "key"
    menu_label = _("BundID (SAML)")
    list_display = ["name", "metadata_url", "enabled"]

    def get_form_class(self, for_update: bool = False) -> type[WagtailAdminModelForm]:
        return forms.modelform_factory(
            SamlIdentityProvider, form=SamlProviderForm, fields=["name", "metadata_url", "enabled"]
        )


register_snippet(OidcProviderViewSet)
register_snippet(SamlProviderViewSet)
