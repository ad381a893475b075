"""What each capability keeps about a citizen account: export it (GDPR Art. 15/20) and erase it (Art. 17).

A capability registers one handler in its ``AppConfig.ready``; the account's export and deletion go
through every registered handler, so a capability added later is covered without edits here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
