"""What a citizen account keeps besides the user row (tenant schema).

The Postfach and the profile for prefilling forms; the identities linked to an account and each
municipality's identity providers. An account (a Django user of the municipality's schema) has one or
more :class:`Identity` rows: the local password, an OIDC subject of a configured provider, a BundID
pseudonym (bPK2). A login always goes through an identity of *this* schema, so an identity at Gera's
providers means nothing on Wurzen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from citizens.levels import Level


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


class Identity(models.Model):
    """One way to log in to one account: ``method`` names the login method, ``provider`` its provider."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    method = models.CharField(_("login method"), max_length=30)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("linked identity")
        verbose_name_plural = _("linked identities")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["method", "provider", "subject"], name="identity_unique_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.method}:{self.provider}"


class OidcProvider(models.Model):
    """An OpenID Connect provider citizens of this municipality may log in with (edited in /cms/)."""

    name = models.CharField(_("name on the button"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    issuer = models.URLField(
        _("issuer"), help_text=_("Its discovery document is read from <issuer>/.well-known/openid-configuration.")
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    trust_level = models.CharField(
        _("trust level the provider asserts"), max_length=20, choices=Level.choices, default=Level.LOW
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("OIDC provider")
        verbose_name_plural = _("OIDC providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SamlIdentityProvider(models.Model):
    """The BundID (or another SAML 2.0 eID service) of this municipality, with its service-provider keys.

    The key pair is made on first use; the private key is stored encrypted with the deployment's key
    (``citizens.saml_keys``) and never leaves the server. The IdP's metadata is read from its URL on save.
    """

    name = models.CharField(_("name on the button"), max_length=100, default="BundID")
    metadata_url = models.URLField(_("metadata URL of the identity provider"))
    metadata_xml = models.TextField(editable=False, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    sp_certificate = models.TextField(editable=False, blank=True)
    sp_private_key_encrypted = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("SAML identity provider (BundID)")
        verbose_name_plural = _("SAML identity providers (BundID)")

    def __str__(self) -> str:
        return self.name
