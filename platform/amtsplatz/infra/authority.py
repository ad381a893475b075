"""Who issues a decision: the responsible authority of a service, looked up without importing its keeper.

The offices capability knows which office handles a service for an address (own office, area rules,
the Landkreis's office); applications need that office's name and address for the decision letter
and its Rechtsbehelfsbelehrung. The keeper registers one lookup in its ``AppConfig.ready``; callers
ask :func:`responsible_authority` inside the municipality's schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Authority:
    """The body that decides (``Stadt Gera``, ``Landkreis Leipzig``) and its office with a postal address."""

    body: str
    office: str
    street: str
    postcode: str
    city: str
    phone: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        """``Stadt Gera, Bürgerservice``; the office alone when it already names the body."""
        if not self.body or self.body.casefold() in self.office.casefold():
            return self.office or self.body
        return f"{self.body}, {self.office}" if self.office else self.body

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]

    @property
    def complete(self) -> bool:
        """A name and a postal address: what a Rechtsbehelfsbelehrung must name."""
        return bool(self.name and self.street and self.postcode and self.city)


# (service key, postcode, street and house number) → the authority, or None when the keeper knows none.
Lookup = Callable[[str, str, str], Authority | None]

_lookups: dict[str, Lookup] = {}


def register(name: str, lookup: Lookup) -> None:
    """Add (or replace, when an app is reloaded) a lookup under ``name``."""
    _lookups[name] = lookup


def responsible_authority(service_key: str, *, postcode: str = "", street: str = "") -> Authority | None:
    """The first registered lookup's answer (ordered by name), in the current municipality's schema."""
    for name in sorted(_lookups):
        found = _lookups[name](service_key, postcode, street)
        if found is not None:
            return found
    return None
