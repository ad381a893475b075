"""Register adapters: where automatic decisions get verified facts instead of what a form claims.

An automatic approval may rest only on facts that were verified, e.g. that the applicant's main
residence is the address given. One module per register implements :class:`ResidentRegister` and is
registered in its app's ``AppConfig.ready`` (the demo ships the clearly labelled
``applications.registers.demo_melderegister``). A real connection (OSCI-XMeld to the Melderegister)
is one more module.

Extension point for eID: the identity capability can register an adapter whose ``main_residence``
reads the address attributes of an eID login of ``query.applicant_id`` (verified by the eID server)
and confirms when they match the query. Nothing else changes: the decision asks every adapter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ResidenceQuery:
    """Who asks, and for which address (as entered; adapters normalise)."""

    given_names: str
    family_name: str
    birth_date: datetime.date | None
    street_and_number: str
    postcode: str
    city: str
    applicant_id: int | None = None  # the citizen account in this schema, for sources bound to a login (eID)


@dataclass(frozen=True)
class Finding:
    """A register's answer: ``confirmed`` only when the register holds this person with main residence here."""

    confirmed: bool
    source: str  # the register's label, shown to caseworkers and in the decision's history
    detail: str = ""


class ResidentRegister(Protocol):
    key: str

    @property
    def label(self) -> str: ...

    def main_residence(self, query: ResidenceQuery) -> Finding | None:
        """A finding, or None when this register is not connected for the current municipality."""


_registers: dict[str, ResidentRegister] = {}


def register(adapter: ResidentRegister) -> None:
    """Add (or replace, when an app is reloaded) an adapter under its key."""
    _registers[adapter.key] = adapter


def resident_registers() -> list[ResidentRegister]:
    return [_registers[key] for key in sorted(_registers)]


def main_residence(query: ResidenceQuery) -> Finding | None:
    """The first confirmation of any register; else the first refusal; None when no register answers."""
    findings = [found for adapter in resident_registers() if (found := adapter.main_residence(query)) is not None]
    return next((found for found in findings if found.confirmed), findings[0] if findings else None)
