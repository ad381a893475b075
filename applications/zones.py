"""Residents' parking zones: the zone an address lies in, derived (the applicant never chooses it)."""

from __future__ import annotations

from dataclasses import dataclass

from amtsplatz.infra.addresses import split_street_and_number
from applications.models import ParkingZoneStreet


@dataclass(frozen=True)
class ZoneFinding:
    """The zone of an address; ``zone`` is empty when no zone or more than one zone matches."""

    zone: str  # "A – Innenstadt"
    candidates: tuple[str, ...] = ()


def zone_for(street_and_number: str) -> ZoneFinding:
    """The one zone whose streets and house numbers contain the address (in the current schema)."""
    street, number, _suffix = split_street_and_number(street_and_number)
    if not street:
        return ZoneFinding("")
    matches = sorted(
        {str(rule.zone) for rule in ParkingZoneStreet.objects.select_related("zone") if rule.matches(street, number)}
    )
    return ZoneFinding(matches[0] if len(matches) == 1 else "", tuple(matches))
