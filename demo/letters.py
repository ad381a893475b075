"""Demo data for decisions: parking zones, the Demo-Melderegister, text templates and the caseworker's signature.

Everything here is made up and labelled as such; running the seed again changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User

from applications.models import DemoResident, ParkingZone, ParkingZoneStreet, ReasonTemplate, StaffProfile
from services_catalog.local.models import LocalService

# slug → zones: (code, name, [(street, from, to, parity)])
ZONES: dict[str, list[tuple[str, str, list[tuple[str, int | None, int | None, str]]]]] = {
    "gera": [
        ("A", "Innenstadt", [("Sorge", None, None, "all"), ("Markt", None, None, "all"),
                             ("Kornmarkt", None, None, "all")]),
        ("B", "Ostviertel", [("Gagarinstraße", 1, 99, "odd"), ("Heinrichstraße", 1, 60, "all")]),
        ("C", "Untermhaus", [("Gagarinstraße", 2, 98, "even"), ("Zschochernstraße", None, None, "all")]),
    ],
    "wurzen": [
        ("W1", "Altstadt", [("Markt", None, None, "all"), ("Domplatz", None, None, "all"),
                            ("Jacobsplatz", None, None, "all")]),
        ("W2", "Bahnhofsviertel", [("Bahnhofstraße", 1, 80, "all")]),
    ],
    "augustusburg": [
        ("S", "Schlossberg", [("Marktplatz", None, None, "all"), ("Schloss", None, None, "all")]),
    ],
}  # fmt: skip

# slug → made-up residents: (given names, family name, born, street and number, postcode, town, main residence)
RESIDENTS: dict[str, list[tuple[str, str, str, str, str, str, bool]]] = {
    "gera": [
        ("Erika", "Mustermann", "1980-05-17", "Sorge 1", "07545", "Gera", True),
        ("Max", "Mustermann", "1978-11-02", "Sorge 1", "07545", "Gera", True),
        ("Paul", "Beispiel", "1991-03-09", "Gagarinstraße 7", "07545", "Gera", False),
    ],
    "wurzen": [
        ("Erika", "Mustermann", "1980-05-17", "Markt 4", "04808", "Wurzen", True),
        ("Jonas", "Probe", "1985-07-21", "Bahnhofstraße 12", "04808", "Wurzen", True),
    ],
    "augustusburg": [
        ("Erika", "Mustermann", "1980-05-17", "Marktplatz 5", "09573", "Augustusburg", True),
    ],
}  # fmt: skip

PARKING_TEMPLATES = (
    ("approve", "Nutzungsnachweis geprüft",
     "Der Nachweis der dauerhaften Nutzung des Fahrzeugs liegt vor. Alle Voraussetzungen für den "
     "Bewohnerparkausweis sind erfüllt."),
    ("reject", "Außerhalb der Bewohnerparkzonen",
     "Ihre Anschrift liegt in keiner Bewohnerparkzone. Ein Bewohnerparkausweis kann nur für Bewohnerinnen und "
     "Bewohner einer Zone ausgestellt werden (§ 45 Abs. 1b Nr. 2a StVO)."),
    ("reject", "Kein Hauptwohnsitz in der Zone",
     "Nach Auskunft des Melderegisters haben Sie Ihren Hauptwohnsitz nicht unter der angegebenen Anschrift. "
     "Der Bewohnerparkausweis setzt den Hauptwohnsitz in der Zone voraus."),
)  # fmt: skip


def letters_demo_ensure(slug: str, caseworker: User, office_name: str) -> None:
    """Zones, register entries, text templates and signatures (caseworker, administrator) in the current schema."""
    StaffProfile.objects.get_or_create(
        user=caseworker, defaults={"display_name": "Petra Demo", "role": "Sachbearbeiterin", "office": office_name}
    )
    admin = User.objects.filter(username=f"admin@{slug}.example").first()
    if admin is not None:
        defaults = {"display_name": "Dana Demo", "role": "Sachgebietsleiterin", "office": office_name}
        StaffProfile.objects.get_or_create(user=admin, defaults=defaults)
    for code, name, streets in ZONES.get(slug, []):
        zone, created = ParkingZone.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            for street, first, last, parity in streets:
                ParkingZoneStreet.objects.create(
                    zone=zone, street=street, number_from=first, number_to=last, parity=parity
                )
    for given, family, born, street, postcode, city, main in RESIDENTS.get(slug, []):
        DemoResident.objects.get_or_create(
            given_names=given, family_name=family, birth_date=datetime.date.fromisoformat(born),
            street_and_number=street, postcode=postcode, city=city, defaults={"main_residence": main},
        )  # fmt: skip
    parking = LocalService.objects.filter(definition__key="bewohnerparkausweis").first()
    if parking is not None:
        for outcome, title, text in PARKING_TEMPLATES:
            defaults = {"outcome": outcome, "text": text}
            ReasonTemplate.objects.get_or_create(service=parking, title=title, defaults=defaults)
