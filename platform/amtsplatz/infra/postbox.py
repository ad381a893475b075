"""Messages from the administration to a citizen's Postfach, without the sender importing the citizens app.

``citizens`` registers the one deliverer in its ``AppConfig.ready``; a capability (e.g. applications on a
status change) calls :func:`deliver` with the recipient's user id in the current municipality's schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Letter:
    user_id: int
    subject: str
    body: str
    link: str = ""


_deliverers: dict[str, Callable[[Letter], None]] = {}


def register(name: str, deliverer: Callable[[Letter], None]) -> None:
    _deliverers[name] = deliverer


def deliver(letter: Letter) -> None:
    """Put ``letter`` into the recipient's Postfach (every registered deliverer; none: nothing happens)."""
    for deliverer in _deliverers.values():
        deliverer(letter)
