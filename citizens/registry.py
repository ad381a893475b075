"""What each capability keeps about a citizen account: export it (GDPR Art. 15/20) and erase it (Art. 17).

A capability registers one handler in its ``AppConfig.ready``; the account's export and deletion go
through every registered handler, so a capability added later is covered without edits here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils.functional import Promise


@dataclass(frozen=True)
class PersonalDataHandler:
    """One capability's part of a citizen's data.

    ``export`` returns top-level sections of the "my data" file (section name → plain JSON data);
    ``erase`` runs inside the deletion's transaction before the account row goes and keeps only what
    retention rules require; ``erasure_note`` tells the citizen what stays.
    """

    key: str
    export: Callable[[User], dict[str, Any]]
    erase: Callable[[User], None]
    erasure_note: Promise | str = ""


_handlers: dict[str, PersonalDataHandler] = {}


def register(handler: PersonalDataHandler) -> None:
    """Add (or replace, e.g. on a re-run of ``ready``) the handler of one capability."""
    _handlers[handler.key] = handler


def handlers() -> list[PersonalDataHandler]:
    return list(_handlers.values())


@dataclass(frozen=True)
class AccountItem:
    """One line of "Mein Konto": an application, an appointment, a report, an idea …"""

    title: str
    status: str
    url: str = ""
    when: datetime | None = None


@dataclass(frozen=True)
class AccountSection:
    """One capability's section of "Mein Konto": ``items(user)`` lists what belongs to the account."""

    key: str
    title: Promise | str
    items: Callable[[User], list[AccountItem]]
    order: int = 50


_sections: dict[str, AccountSection] = {}


def register_account_section(section: AccountSection) -> None:
    """Add (or replace) one capability's section of "Mein Konto"."""
    _sections[section.key] = section


def account_sections() -> list[AccountSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))
