"""The office part of a service card: who is responsible for this municipality, open now or when.

Built on ``offices.selectors.responsible_office`` (own office, area rule, the Landkreis's office, or
"not here" with the catalogue's general level); the adoption's contact fields are the fallback for a
municipality that has not described its offices yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from answers.cards import Fact
from offices.presentation import status_line
from offices.selectors import Address, OfficeCard, responsible_office
from services_catalog.local.selectors import MergedService


@dataclass(frozen=True)
class OfficePart:
    """The office facts of a service card, and the municipality's own office responsible ("" for none): its
    contact form is the card's way to write."""

    facts: list[Fact] = field(default_factory=list)
    office_slug: str = ""


def _card_facts(card: OfficeCard, source: str) -> list[Fact]:
    address = ", ".join(part for part in (card.street, f"{card.postcode} {card.city}".strip()) if part)
    url = card.url or ""
    facts = [Fact("office", _("Responsible office"), f"{card.name}, {address}" if address else card.name, source, url)]
    line = status_line(card.status)
    if line:
        facts.append(Fact("hours", _("Opening status"), line, source, url))
    if card.phone:
        facts.append(Fact("phone", _("Phone"), card.phone, source, url))
    if card.email:
        facts.append(Fact("email", _("E-mail"), card.email, source, url))
    return facts


def office_part(
    key: str, merged: MergedService | None, municipality: str, language: str, postcode: str = ""
) -> OfficePart:
    """Facts about the responsible office; a plain "we cannot tell" with the general level when unknown.

    A postcode in the question chooses among several offices by their area rules.
    """
    local = _("Office directory of %(municipality)s") % {"municipality": municipality}
    where = Address(postcode=postcode) if postcode else None
    responsibility = responsible_office(key, address=where, language=language, with_services=False)
    if responsibility is not None and responsibility.office is not None:
        if responsibility.reason == "district_office":
            source = _("Office directory of the district %(district)s") % {"district": responsibility.district_name}
        else:
            source = local
        own = responsibility.office.slug if responsibility.office.source == "municipality" else ""
        return OfficePart(_card_facts(responsibility.office, source), own)
    if responsibility is not None and responsibility.reason == "needs_address":
        names = ", ".join(candidate.name for candidate in responsibility.candidates)
        text = _("In %(municipality)s it depends on your address: %(offices)s") % {
            "municipality": municipality,
            "offices": names,
        }
        text += ". " + _("Ask again with your postcode to get the one office for you.")
        return OfficePart([Fact("office", _("Responsible office"), text, local)])
    if merged is not None and merged.office.name:
        office = merged.office
        source = _("Information from %(municipality)s") % {"municipality": municipality}
        address = ", ".join(part for part in (office.street, f"{office.postcode} {office.city}".strip()) if part)
        facts = [
            Fact("office", _("Responsible office"), f"{office.name}, {address}" if address else office.name, source)
        ]
        if office.opening_hours:
            facts.append(Fact("hours", _("Opening hours"), office.opening_hours, source))
        if office.phone:
            facts.append(Fact("phone", _("Phone"), office.phone, source))
        return OfficePart(facts)
    level = responsibility.level_label if responsibility is not None else ""
    text = _("We cannot tell you which office handles this for %(municipality)s. The phone service 115 can.") % {
        "municipality": municipality
    }
    if level:
        text = _("Responsible in general: %(level)s.") % {"level": level} + " " + text
    return OfficePart([Fact("office", _("Responsible office"), text, _("Shared service catalogue"))])
