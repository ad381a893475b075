"""Reads about citizen accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from amtsplatz.prefill import SEMANTIC_KEYS
from citizens import registry
from citizens.models import PostboxMessage, Profile


def iso(value: Any) -> str | None:
    """A date or datetime as ISO 8601 text, None for no value (the "my data" file's date format)."""
    return value.isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything the municipality keeps about a citizen account, as plain data (GDPR Art. 15/20).

    The account itself, then the sections of every capability registered in ``citizens.registry``.
    """
    profile = Profile.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "account": {
            "email": getattr(user, "email", ""),
            "joined": iso(getattr(user, "date_joined", None)),
            "last_login": iso(user.last_login),
        },
        "profile": {
            "given_name": profile.given_name,
            "family_name": profile.family_name,
            "birth_date": iso(profile.birth_date),
            "street": profile.street,
            "postcode": profile.postcode,
            "city": profile.city,
            "prefill_allowed": profile.prefill_allowed,
            "prefill_allowed_at": iso(profile.prefill_allowed_at),
        }
        if profile
        else None,
        "postbox": [
            {"subject": m.subject, "body": m.body, "link": m.link, "at": iso(m.created), "read": iso(m.read_at)}
            for m in PostboxMessage.objects.filter(user=user)
        ],
    }
    for handler in registry.handlers():
        sections = handler.export(user)
        clash = data.keys() & sections.keys()
        if clash:
            raise RuntimeError(f"{handler.key} exports sections another handler already uses: {sorted(clash)}")
        data.update(sections)
    return data


@dataclass(frozen=True)
class FilledSection:
    key: str
    title: str
    items: list[registry.AccountItem]


def account_overview(user: User) -> list[FilledSection]:
    """Every registered capability's items of this account ("Mein Konto"), in the registry's order."""
    return [
        FilledSection(key=section.key, title=str(section.title), items=section.items(user))
        for section in registry.account_sections()
    ]


def postbox(user: User) -> QuerySet[PostboxMessage]:
    return PostboxMessage.objects.filter(user=user)


def profile_of(user: User) -> Profile:
    """The account's profile (unsaved and empty when the citizen has not filled one in)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def profile_prefill(request: HttpRequest) -> dict[str, str]:
    """The profile's values by semantic key, only for a logged-in citizen who allowed prefilling."""
    user = request.user
    if not user.is_authenticated or user.is_staff:
        return {}
    profile = Profile.objects.filter(user_id=user.pk, prefill_allowed=True).first()
    if profile is None:
        return {}
    values = {key: str(getattr(profile, key) or "") for key in SEMANTIC_KEYS if key != "birth_date"}
    values["birth_date"] = profile.birth_date.isoformat() if profile.birth_date else ""
    return {key: value for key, value in values.items() if value}
