"""Writes on citizen accounts: sign-up and deletion."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amtsplatz.postbox import Letter
from citizens import notifications, registry
from citizens.models import PostboxMessage, Profile
from tenants.db import current_schema

ACTIVATION_SALT = "amtsplatz.applications.citizen-account"  # unchanged, so links already sent stay valid
ACTIVATION_MAX_AGE = 3 * 24 * 3600


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
    """The Postfach's deliverer for ``amtsplatz.postbox``: only citizen accounts of this schema receive."""
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
