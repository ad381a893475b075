"""Demo offices for Gera (kreisfrei), Wurzen (Landkreis Leipzig) and Augustusburg (Mittelsachsen).

Addresses of the town halls and the two Landratsämter are the public ones; phone numbers, e-mail
addresses, hours and the second Gera office are demo data (marked as such in the accessibility notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name, schema_context

from offices.base import Language, OfficeKind
from offices.districts.models import District, DistrictOffice
from offices.models import AreaRule, Office
from offices.selectors import district_of
from services_catalog.constants import ResponsibilityLevel
from services_catalog.local.models import LocalService
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from tenants.db import current_municipality

VEHICLE_REGISTRATION = "kfz-zulassung"
# Everything about a vehicle's papers is done at the vehicle registration desk, not at the citizens' office.
VEHICLE_SERVICES = (
    VEHICLE_REGISTRATION, "kfz-umschreibung", "kfz-abmeldung", "wunschkennzeichen", "kfz-halteranschrift",
)  # fmt: skip
DEMO_NOTE = "Demo-Daten: Telefonnummer, Zeiten und Ausstattung sind Beispiele."
DEMO_NOTE_EN = "Demo data: phone number, hours and facilities are examples."

# (weekday, opens, closes[, appointment only])
TOWN_HALL_GERA = [(0, "08:00", "16:00"), (1, "08:00", "18:00"), (2, "08:00", "16:00"), (3, "08:00", "18:00"),
                  (4, "08:00", "12:00"), (5, "09:00", "12:00", True)]  # fmt: skip
LANDRATSAMT = [(0, "08:00", "12:00"), (1, "08:00", "18:00"), (3, "08:00", "18:00"), (4, "08:00", "12:00")]


@dataclass(frozen=True)
class DemoOffice:
    slug: str
    name: str
    kind: str
    street: str
    postcode: str
    city: str
    lat: str
    lon: str
    phone: str
    email: str
    hours: list[tuple[Any, ...]]
    services: tuple[str, ...] | None = None  # None: what the town hall handles (see _town_hall_services)
    languages: tuple[str, ...] = (Language.GERMAN, Language.ENGLISH)
    step_free: bool | None = True
    area_postcodes: tuple[str, ...] = ()


DISTRICTS = {
    "14729": ("Landkreis Leipzig", "14", DemoOffice(
        "landratsamt-borna", "Landratsamt Landkreis Leipzig", OfficeKind.DISTRICT_OFFICE,
        "Stauffenbergstraße 4", "04552", "Borna", "51.123600", "12.497000", "03433 000000",
        "buergerservice@landkreis-leipzig.example", LANDRATSAMT)),
    "14522": ("Landkreis Mittelsachsen", "14", DemoOffice(
        "landratsamt-freiberg", "Landratsamt Mittelsachsen", OfficeKind.DISTRICT_OFFICE,
        "Frauensteiner Straße 43", "09599", "Freiberg", "50.913600", "13.343600", "03731 000000",
        "buergerservice@mittelsachsen.example", LANDRATSAMT)),
}  # fmt: skip

MUNICIPAL_OFFICES: dict[str, list[DemoOffice]] = {
    "gera": [
        DemoOffice("buergerservice", "Bürgerservice im Rathaus", OfficeKind.CITIZENS_OFFICE, "Kornmarkt 12", "07545",
                   "Gera", "50.880600", "12.081000", "0365 000000", "buergerservice@gera.example", TOWN_HALL_GERA,
                   languages=(Language.GERMAN, Language.ENGLISH, Language.RUSSIAN)),
        DemoOffice("buergerbuero-lusan", "Bürgerbüro Lusan (Demo)", OfficeKind.CITIZENS_OFFICE,
                   "Demo-Adresse im Stadtteil Lusan", "07549", "Gera", "50.855000", "12.115000", "0365 000001",
                   "lusan@gera.example", [(1, "09:00", "12:00"), (3, "13:00", "18:00")],
                   services=("wohnsitz-anmeldung", "meldebescheinigung"), step_free=None, area_postcodes=("07549",)),
        DemoOffice("kfz-zulassung", "Kfz-Zulassung der Stadt Gera", OfficeKind.VEHICLE_REGISTRATION, "Kornmarkt 12",
                   "07545", "Gera", "50.880600", "12.081000", "0365 000002", "zulassung@gera.example",
                   [(0, "08:00", "12:00"), (1, "08:00", "18:00"), (3, "08:00", "18:00"), (4, "08:00", "12:00")],
                   services=VEHICLE_SERVICES),
    ],
    "wurzen": [
        DemoOffice("buergerbuero", "Bürgerbüro Wurzen", OfficeKind.CITIZENS_OFFICE, "Friedrich-Ebert-Straße 2",
                   "04808", "Wurzen", "51.370300", "12.739500", "03425 000000", "buergerbuero@wurzen.example",
                   [(1, "09:00", "18:00"), (2, "09:00", "12:00"), (3, "09:00", "18:00"), (4, "09:00", "12:00")]),
    ],
    "augustusburg": [
        DemoOffice("buergeramt", "Bürgeramt Augustusburg", OfficeKind.CITIZENS_OFFICE, "Marktplatz 11", "09573",
                   "Augustusburg", "50.812500", "13.100600", "037291 00000", "buergeramt@augustusburg.example",
                   [(1, "09:00", "12:00"), (1, "13:00", "18:00"), (3, "09:00", "12:00")], step_free=False),
    ],
}  # fmt: skip


def _contact(office: DemoOffice, contact_url: str = "/kontakt/") -> dict[str, Any]:
    return {
        "name": office.name, "kind": office.kind, "street": office.street, "postcode": office.postcode,
        "city": office.city, "latitude": Decimal(office.lat), "longitude": Decimal(office.lon), "phone": office.phone,
        "email": office.email, "contact_url": contact_url, "step_free": office.step_free, "disabled_parking": True,
        "induction_loop": False, "accessibility_de": DEMO_NOTE, "accessibility_en": DEMO_NOTE_EN,
        "languages": list(office.languages),
    }  # fmt: skip


def _hours(office: Office | DistrictOffice, demo: DemoOffice) -> None:
    if office.opening_intervals.exists():
        return
    for weekday, opens, closes, *appointment in demo.hours:
        office.opening_intervals.create(
            weekday=weekday, opens=time.fromisoformat(opens), closes=time.fromisoformat(closes),
            appointment_only=bool(appointment and appointment[0]),
        )  # fmt: skip
    year = date.today().year
    office.opening_exceptions.create(
        first=date(year, 12, 24), last=date(year, 12, 31),
        reason_de="Zwischen den Feiertagen geschlossen", reason_en="Closed between the holidays",
    )  # fmt: skip


def districts_demo_ensure() -> None:
    """The two demo Landkreise; each Landratsamt handles every service the catalogue gives the districts."""
    district_services = ServiceDefinition.objects.filter(
        latest_version__responsibility_level=ResponsibilityLevel.DISTRICT
    )
    for key, (name, state, demo) in DISTRICTS.items():
        district, _created = District.objects.get_or_create(key=key, defaults={"name": name, "state": state})
        office, created = DistrictOffice.objects.get_or_create(
            district=district, slug=demo.slug, defaults=_contact(demo, contact_url="")
        )
        if created:
            _hours(office, demo)
        office.services.set(district_services)


def _town_hall_services(kreisfrei: bool) -> QuerySet[LocalService]:
    """A town hall handles the municipality's services; a kreisfreie Stadt also those of a district."""
    levels = [ResponsibilityLevel.MUNICIPALITY] + ([ResponsibilityLevel.DISTRICT] if kreisfrei else [])
    return LocalService.objects.filter(definition__latest_version__responsibility_level__in=levels).exclude(
        definition__key__in=VEHICLE_SERVICES
    )


@transaction.atomic
def offices_demo_ensure(slug: str) -> None:
    """Run inside the municipality's schema: the districts, vehicle registration adopted, the demo offices once."""
    with schema_context(get_public_schema_name()):
        districts_demo_ensure()
    definition = ServiceDefinition.objects.filter(key=VEHICLE_REGISTRATION, latest_version__isnull=False).first()
    if definition is not None and not LocalService.objects.filter(definition=definition).exists():
        service_adopt(definition=definition)
    for demo in MUNICIPAL_OFFICES.get(slug, []):
        office, created = Office.objects.get_or_create(slug=demo.slug, defaults=_contact(demo))
        if not created:
            continue
        _hours(office, demo)
        if demo.services is None:
            office.services.set(_town_hall_services(kreisfrei=district_of(current_municipality()) is None))
        else:
            office.services.set(LocalService.objects.filter(definition__key__in=demo.services))
        office.save()
        for postcode in demo.area_postcodes:
            AreaRule.objects.create(office=office, postcode=postcode)
