"""Reads about citizen accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from citizens import registry
from citizens.models import Identity


def iso(value: Any) -> str | None:
    """A date or datetime as ISO 8601 text, None for no value (the "my data" file's date format)."""
    return value.isoformat() if value else None


def personal_data(user: User) -> dict[str, Any]:
    """Everything the municipality keeps about a citizen account, as plain data (GDPR Art. 15/20).

    The account itself, then the sections of every capability registered in ``citizens.registry``.
    """
    data: dict[str, Any] = {
        "account": {
            "email": getattr(user, "email", ""),
            "joined": iso(getattr(user, "date_joined", None)),
            "last_login": iso(user.last_login),
            "identities": [
                {
                    "method": identity.method,
                    "provider": identity.provider,
                    "subject": identity.subject,
                    "linked": iso(identity.created),
                    "last_used": iso(identity.last_used),
                }
                for identity in Identity.objects.filter(user=user)
            ],
        },
    }
    for handler in registry.handlers():
        sections = handler.export(user)
        clash = data.keys() & sections.keys()
        if clash:
            raise RuntimeError(f"{handler.key} exports sections another handler already uses: {sorted(clash)}")
        data.update(sections)
    return data
