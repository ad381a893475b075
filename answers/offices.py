"""The office part of a service card: who is responsible for this municipality, and how to reach them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from answers.cards import Fact
from services_catalog.local.selectors import MergedService


def office_facts(key: str, merged: MergedService | None, municipality: str) -> list[Fact]:
    """The responsible office from the municipality's adoption; a plain "not here" when it does not offer it."""
    source = _("Information from %(municipality)s") % {"municipality": municipality}
    if merged is None:
        return [
            Fact(
                "office",
                _("Responsible office"),
                _(
                    "%(municipality)s does not offer this service itself. The phone service 115 tells you "
                    "which office is responsible for you."
                )
                % {"municipality": municipality},
                source,
            )
        ]
    office = merged.office
    if not office.name:
        return []
    address = ", ".join(part for part in (office.street, f"{office.postcode} {office.city}".strip()) if part)
    facts = [Fact("office", _("Responsible office"), f"{office.name}, {address}" if address else office.name, source)]
    if office.opening_hours:
        facts.append(Fact("hours", _("Opening hours"), office.opening_hours, source))
    if office.phone:
        facts.append(Fact("phone", _("Phone"), office.phone, source))
    if office.email:
        facts.append(Fact("email", _("E-mail"), office.email, source))
    return facts
