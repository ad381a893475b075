"""Writes of offices from outside the /cms/ form: the XZuFi import creates or updates a municipality's offices."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from offices.models import Office
from services_catalog.local.models import LocalService


@dataclass(frozen=True)
class Upserted:
    office: Office
    created: bool
    missing_services: tuple[str, ...]  # catalogue keys named for the office that this municipality has not adopted


@transaction.atomic
def upsert_office(
    *,
    slug: str,
    name: str,
    street: str = "",
    postcode: str = "",
    city: str = "",
    phone: str = "",
    email: str = "",
    contact_url: str = "",
    service_keys: list[str] | None = None,
) -> Upserted:
    """Create the office ``slug`` of the current municipality, or update its address, contact and services.

    Opening hours, accessibility and area rules stay as edited in /cms/ (an exchange message carries none of
    them). ``service_keys`` (None: leave the services alone) link adopted services; keys this municipality has
    not adopted are returned, not created. Invalid values raise ``ValidationError`` and change nothing.
    """
    office = Office.objects.select_for_update().filter(slug=slug).first()
    created = office is None
    if office is None:
        office = Office(slug=slug)
    for field, value in (
        ("name", name), ("street", street), ("postcode", postcode), ("city", city), ("phone", phone),
        ("email", email), ("contact_url", contact_url),
    ):  # fmt: skip
        setattr(office, field, value.strip())
    office.full_clean(validate_unique=False)
    office.save()
    missing: tuple[str, ...] = ()
    if service_keys is not None:
        adopted = list(LocalService.objects.filter(definition__key__in=service_keys).select_related("definition"))
        known = {local.definition.key for local in adopted}
        missing = tuple(key for key in service_keys if key not in known)
        office.services.set(adopted)
        office.save()
    return Upserted(office, created, missing)
