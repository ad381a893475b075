"""The Demo-Melderegister: made-up residents of the demo towns, clearly labelled, never a real register.

It answers only in a municipality that has demo entries (Settings → Demo-Melderegister in /cms/);
elsewhere it stays silent, so no real municipality's decision ever rests on it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from amtsplatz.infra.addresses import normalise_street, split_street_and_number
from amtsplatz.infra.registers import Finding, ResidenceQuery
from applications.models import DemoResident


def _address_key(street_and_number: str) -> tuple[str, int | None, str]:
    street, number, suffix = split_street_and_number(street_and_number)
    return normalise_street(street), number, suffix


class DemoMelderegister:
    key = "demo-melderegister"

    @property
    def label(self) -> str:
        return _("Demo-Melderegister (test data)")

    def main_residence(self, query: ResidenceQuery) -> Finding | None:
        entries = DemoResident.objects.all()
        if not entries.exists():
            return None
        if query.birth_date is None:
            return Finding(False, self.label, _("No resident with this name and date of birth."))
        people = entries.filter(
            family_name__iexact=query.family_name.strip(),
            given_names__iexact=query.given_names.strip(),
            birth_date=query.birth_date,
        )
        wanted = (_address_key(query.street_and_number), query.postcode.strip())
        for person in people:
            if (_address_key(person.street_and_number), person.postcode) == wanted:
                if person.main_residence:
                    return Finding(True, self.label, _("Main residence at this address confirmed."))
                return Finding(False, self.label, _("Registered at this address, but not as main residence."))
        if people.exists():
            return Finding(False, self.label, _("Registered, but not at this address."))
        return Finding(False, self.label, _("No resident with this name and date of birth."))
