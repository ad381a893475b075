"""The offices' answer to ``amtsplatz.infra.authority``: which office decides a service, with its address."""

from __future__ import annotations

from amtsplatz.infra.authority import Authority
from offices.selectors import Address, responsible_office
from tenants.db import current_municipality


def authority_for(service_key: str, postcode: str, street: str) -> Authority | None:
    """The office responsible for ``service_key`` at this address (None: no office known here)."""
    found = responsible_office(service_key, address=Address.parse(postcode, street))
    if found is None or found.office is None:
        return None
    office = found.office
    body = found.district_name if office.source == "district" else current_municipality().name
    return Authority(
        body=body, office=office.name, street=office.street, postcode=office.postcode, city=office.city,
        phone=office.phone, email=office.email,
    )  # fmt: skip
