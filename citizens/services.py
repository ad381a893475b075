"""Writes on citizen accounts: sign-up, deletion and the identities linked to an account."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import requests
from defusedxml import ElementTree
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsplatz.infra.postbox import Letter
from citizens import notifications, registry
from citizens.models import Identity, PostboxMessage, Profile, SamlIdentityProvider
from tenants.db import current_schema

ACTIVATION_SALT = "amtsplatz.applications.citizen-account"  # unchanged, so links already sent stay valid
ACTIVATION_MAX_AGE = 3 * 24 * 3600
PASSWORD = "password"  # noqa: S105 (the name of a login method)
SAML_METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata"


def activation_token(user_id: int) -> str:
    return signing.dumps({"user": user_id, "schema": current_schema()}, salt=ACTIVATION_SALT)


def _with_next(path: str, next_url: str) -> str:
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def account_register(*, email: str, password: str, language: str, next_url: str = "") -> User | None:
    """Create an inactive account and mail the link that activates it; returns the new user.

    For an address that already has an account nothing is created (None) and its owner gets a login
    link instead, so that the answer to the visitor is the same either way (no account probing).
    """
    if get_user_model().objects.filter(username=email).exists():
        user = None
        link, purpose = _with_next(reverse("citizens:log-in"), next_url), "account_exists"
    else:
        user = get_user_model().objects.create_user(email, email, password, is_active=False)
        Identity.objects.create(user=user, method=PASSWORD, subject=str(user.pk))
        link = _with_next(reverse("citizens:activate", kwargs={"token": activation_token(user.pk)}), next_url)
        purpose = "account"
    notifications.magic_link(email=email, link=notifications.absolute(link), purpose=purpose, language=language)
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete a citizen's account: every capability first erases or detaches what it keeps about it."""
    for handler in registry.handlers():
        handler.erase(user)
    user.delete()


def postbox_deliver(letter: Letter) -> None:
    """The Postfach's deliverer for ``amtsplatz.infra.postbox``: only citizen accounts of this schema receive."""
    if get_user_model().objects.filter(pk=letter.user_id, is_staff=False, is_active=True).exists():
        PostboxMessage.objects.create(
            user_id=letter.user_id, subject=letter.subject[:200], body=letter.body, link=letter.link[:500]
        )


@transaction.atomic
def postbox_mark_read(*, user: User, message_id: int) -> PostboxMessage | None:
    """Mark one of the account's own messages read; None when it is not theirs."""
    message = PostboxMessage.objects.select_for_update().filter(user=user, pk=message_id).first()
    if message is not None and message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


@transaction.atomic
def profile_save(*, user: User, values: dict[str, Any]) -> Profile:
    """Store the citizen's profile; the consent to prefill records when it was given."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    allowed = bool(values.get("prefill_allowed"))
    for name in ("given_name", "family_name", "birth_date", "street", "postcode", "city"):
        setattr(profile, name, values.get(name) or ("" if name != "birth_date" else None))
    if allowed and not profile.prefill_allowed:
        profile.prefill_allowed_at = timezone.now()
    if not allowed:
        profile.prefill_allowed_at = None
    profile.prefill_allowed = allowed
    profile.save()
    return profile


class IdentityRefused(ValidationError):
    """A link or unlink that would leave an account without login, or take another account's identity."""


def identity_find(*, method: str, provider: str, subject: str) -> Identity | None:
    return (
        Identity.objects.select_related("user")
        .filter(method=method, provider=provider, subject=subject, user__is_active=True, user__is_staff=False)
        .first()
    )


@transaction.atomic
def identity_login(*, method: str, provider: str, subject: str, email: str = "") -> User:
    """The account an external identity logs into; a first login creates an account for it.

    A new account is never joined to an existing one by e-mail address: that takes linking, which needs
    a login to both (:func:`identity_link`).
    """
    identity = identity_find(method=method, provider=provider, subject=subject)
    if identity is None:
        user = get_user_model().objects.create_user(f"{method}-{uuid.uuid4().hex}", email=email.strip().lower())
        user.set_unusable_password()
        user.save(update_fields=["password"])
        identity = Identity.objects.create(user=user, method=method, provider=provider, subject=subject)
    identity.last_used = timezone.now()
    identity.save(update_fields=["last_used"])
    return identity.user


def password_identity_ensure(user: User) -> None:
    """An account with a usable password has the password identity (accounts made outside the sign-up)."""
    if user.has_usable_password() and not Identity.objects.filter(user=user, method=PASSWORD).exists():
        Identity.objects.create(user=user, method=PASSWORD, subject=str(user.pk))


@transaction.atomic
def identity_link(*, user: User, method: str, provider: str, subject: str) -> Identity:
    """Link an identity the citizen has just proven to the account they are logged in to.

    Refused when the identity already belongs to another account: accounts are never merged (each may
    hold applications and contributions of its own).
    """
    password_identity_ensure(user)
    existing = Identity.objects.filter(method=method, provider=provider, subject=subject).first()
    if existing is not None:
        if existing.user_id == user.pk:
            return existing
        raise IdentityRefused(_("This identity already belongs to another account of this municipality."))
    return Identity.objects.create(user=user, method=method, provider=provider, subject=subject)


@transaction.atomic
def identity_unlink(*, user: User, identity_id: int) -> None:
    """Remove one login of an account; the last one stays (an account without login is lost)."""
    password_identity_ensure(user)
    identities = list(Identity.objects.select_for_update().filter(user=user))
    target = next((identity for identity in identities if identity.pk == identity_id), None)
    if target is None:
        raise IdentityRefused(_("No such login of your account."))
    if len(identities) == 1:
        raise IdentityRefused(_("This is the last way to log in to your account; it cannot be removed."))
    if target.method == PASSWORD:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    target.delete()


def metadata_fetch(url: str) -> str:
    try:
        answer = requests.get(url, timeout=10)
        answer.raise_for_status()
        root = ElementTree.fromstring(answer.content)
    except (requests.RequestException, ElementTree.ParseError, ValueError) as error:
        raise ValidationError(_("The metadata could not be read from this URL.")) from error
    if not root.tag.endswith("EntityDescriptor") or not list(root.iter(f"{{{SAML_METADATA_NS}}}IDPSSODescriptor")):
        raise ValidationError(_("This URL does not describe a SAML identity provider."))
    return answer.content.decode()


@transaction.atomic
def saml_provider_save(*, provider: SamlIdentityProvider) -> SamlIdentityProvider:
    """Save a SAML identity provider with its metadata read from its URL now (refused if unreadable)."""
    provider.metadata_xml = metadata_fetch(provider.metadata_url)
    provider.save()
    return provider
