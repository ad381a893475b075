"""The demo installation: three municipalities, the seed catalogue and what each adopts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django_tenants.utils import schema_context
from wagtail.models import Site

from amtsplatz.office import roles
from answers.demo import answers_demo_ensure
from applications.models import ServiceDesk
from appointments.demo import appointments_demo_ensure
from billing.models import Plan
from cms.services import portal_skeleton_ensure
from demo.content import showcase_ensure
from demo.letters import letters_demo_ensure
from demo.participation import participation_demo_ensure
from offices.demo import offices_demo_ensure
from opendata.demo import opendata_demo_ensure
from services_catalog.exchange import catalogue_files_read
from services_catalog.local.models import LocalService
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from services_catalog.services import ImportReport, catalogue_import
from tenants.models import Municipality
from tenants.services import municipality_create
from themes.demo_images import demo_images_ensure
from themes.services import branding_set

SEED_CATALOGUE = Path(__file__).resolve().parents[1] / "services_catalog" / "seed"
OFFICE_USER = ("office@amtsplatz.example", "Demo-Office-2026")


@dataclass(frozen=True)
class DemoMunicipality:
    name: str
    slug: str
    ags: str
    state: str
    theme: str
    font: str
    primary_colour: str
    secondary_colour: str
    accent_colour: str
    office: dict[str, str]
    # catalogue key → local overrides (fee, note, ...)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    inhabitants: int = 0  # rounded, for the plan tier

    @property
    def domain(self) -> str:
        return f"{self.slug}.localhost"

    @property
    def admin_email(self) -> str:
        return f"admin@{self.slug}.example"

    @property
    def admin_password(self) -> str:
        return f"Demo-{self.slug.capitalize()}-2026"

    @property
    def caseworker_email(self) -> str:
        return f"sachbearbeitung@{self.slug}.example"

    @property
    def caseworker_password(self) -> str:
        return f"Demo-Sachbearbeitung-{self.slug.capitalize()}-2026"

    @property
    def moderator_email(self) -> str:
        return f"beteiligung@{self.slug}.example"

    @property
    def moderator_password(self) -> str:
        return f"Demo-Beteiligung-{self.slug.capitalize()}-2026"

    @property
    def citizen_email(self) -> str:
        return f"buerger@{self.slug}.example"

    @property
    def citizen_password(self) -> str:
        return f"Demo-Buerger-{self.slug.capitalize()}-2026"


DEMO_MUNICIPALITIES = (
    DemoMunicipality(
        "Stadt Gera", "gera", "16052000", "16", "rathaus", "source-sans-3", "#00529c", "#e8f1fa", "#a4282f",
        office={"office_name": "Bürgerservice Gera", "office_street": "Kornmarkt 12", "office_postcode": "07545",
                "office_city": "Gera", "office_phone": "0365 000000", "office_email": "buergerservice@gera.example",
                "opening_hours": "Mo, Mi 8–16 Uhr\nDi, Do 8–18 Uhr\nFr 8–12 Uhr"},
        services={
            "bewohnerparkausweis": {
                "fee_amount": "30.70", "local_note_de": "Die Parkzonen A bis C finden Sie im Stadtplan.",
            },
            "hundesteuer-anmeldung": {}, "hundesteuer-abmeldung": {}, "wohnsitz-anmeldung": {},
            "meldebescheinigung": {}, "gewerbeanmeldung": {"fee_amount": "30.00"}, "sperrmuell": {},
            "fundsache": {}, "sondernutzungserlaubnis": {}, "baumfaellgenehmigung": {}, "veranstaltungsanzeige": {},
            "parkerleichterung-behinderung": {}, "fuehrungszeugnis": {}, "auskunftssperre": {}, "wohngeld": {},
            "anwohnerzufahrt": {},
        },
        inhabitants=92000,
    ),
    DemoMunicipality(
        "Große Kreisstadt Wurzen", "wurzen", "14729410", "14", "klar", "atkinson-hyperlegible", "#8a1538",
        "#f8eef0", "#1d5a85",
        office={"office_name": "Bürgerbüro Wurzen", "office_street": "Friedrich-Ebert-Straße 2",
                "office_postcode": "04808", "office_city": "Wurzen", "office_phone": "03425 000000",
                "office_email": "buergerbuero@wurzen.example",
                "opening_hours": "Di, Do 9–18 Uhr\nMi, Fr 9–12 Uhr"},
        services={
            "bewohnerparkausweis": {"fee_amount": "25.00"}, "hundesteuer-anmeldung": {}, "hundesteuer-abmeldung": {},
            "wohnsitz-anmeldung": {}, "meldebescheinigung": {}, "sperrmuell": {"online_available": False},
            "fundsache": {}, "veranstaltungsanzeige": {}, "gewerbeanmeldung": {},
        },
        inhabitants=16000,
    ),
    DemoMunicipality(
        "Stadt Augustusburg", "augustusburg", "14522020", "14", "rathaus", "lexend", "#2e5e1e", "#f3efe2",
        "#8a4b08",
        office={"office_name": "Bürgeramt Augustusburg", "office_street": "Marktplatz 11",
                "office_postcode": "09573", "office_city": "Augustusburg", "office_phone": "037291 00000",
                "office_email": "buergeramt@augustusburg.example",
                "opening_hours": "Di 9–12 und 13–18 Uhr\nDo 9–12 Uhr"},
        services={
            "hundesteuer-anmeldung": {}, "hundesteuer-abmeldung": {}, "wohnsitz-anmeldung": {},
            "veranstaltungsanzeige": {
                "local_note_de": "Feste auf Schloss Augustusburg stimmen Sie bitte mit der Schlossverwaltung ab.",
            },
            "baumfaellgenehmigung": {}, "fundsache": {},
        },
        inhabitants=4500,
    ),
)  # fmt: skip


def seed_catalogue() -> ImportReport:
    """Import the shipped seed catalogue, all its topic files at once (idempotent)."""
    return catalogue_import(catalogue_files_read([SEED_CATALOGUE]))


def office_user_ensure() -> User:
    """The demo's cooperation-office user in the public schema, in the office administrators' role."""
    username, password = OFFICE_USER
    user, created = User.objects.get_or_create(username=username, defaults={"email": username, "is_staff": True})
    if created:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=roles.OFFICE_ADMIN))
    return user


# The demo's plans: monthly and yearly prices by inhabitants (figures made up for the demo).
DEMO_PLANS = (
    ("klein-monat", "Klein", 0, 10000, "month", "89.00"),
    ("mittel-monat", "Mittel", 10000, 50000, "month", "249.00"),
    ("gross-monat", "Groß", 50000, None, "month", "590.00"),
    ("klein-jahr", "Klein", 0, 10000, "year", "890.00"),
    ("mittel-jahr", "Mittel", 10000, 50000, "year", "2490.00"),
    ("gross-jahr", "Groß", 50000, None, "year", "5900.00"),
)


def demo_plans_ensure() -> None:
    """The demo's plans, unless the office has changed them."""
    for key, name, lower, upper, interval, amount in DEMO_PLANS:
        Plan.objects.get_or_create(
            key=key,
            defaults={"name": name, "inhabitants_min": lower, "inhabitants_max": upper, "interval": interval,
                      "amount": Decimal(amount)},
        )  # fmt: skip


@transaction.atomic
def demo_municipality_ensure(demo: DemoMunicipality) -> bool:
    """Create the municipality unless it exists, bring its pages up to date, adopt its services.

    Returns whether it was created now.
    """
    municipality = Municipality.objects.filter(slug=demo.slug).first()
    created = municipality is None
    if municipality is None:
        municipality = municipality_create(
            name=demo.name, slug=demo.slug, domain=demo.domain, ags=demo.ags, state=demo.state,
            admin_email=demo.admin_email, admin_password=demo.admin_password,
            **_appearance(demo),
        ).municipality  # fmt: skip
        # The demo pays with the clearly labelled test provider.
        municipality.reference_prefix = demo.slug[:3].upper()
        municipality.payment_provider = "test"
        municipality.inhabitants = demo.inhabitants
        municipality.save(update_fields=["reference_prefix", "payment_provider", "inhabitants"])
    # The listed services with their local details first, then the rest of the shared catalogue, so that
    # every life situation and everyday question leads somewhere on every demo portal.
    definitions = {d.key: d for d in ServiceDefinition.objects.filter(latest_version__isnull=False)}
    adoptions = {**demo.services, **{key: {} for key in sorted(definitions) if key not in demo.services}}
    with schema_context(municipality.schema_name):
        branding_set(site=Site.objects.get(is_default_site=True), municipality_name=demo.name, **_appearance(demo))
        portal_skeleton_ensure()
        demo_images_ensure(demo.slug)
        showcase_ensure()
        adopted = set(LocalService.objects.values_list("definition__key", flat=True))
        for key, overrides in adoptions.items():
            if key in definitions and key not in adopted:
                service_adopt(definition=definitions[key], **{**demo.office, **overrides})
        _applications_demo_ensure(demo)
        participation_demo_ensure(demo.slug)
        offices_demo_ensure(demo.slug)
        appointments_demo_ensure(demo.slug)
        answers_demo_ensure(demo.slug)
        opendata_demo_ensure(demo.name, demo.slug)
    return created


def _appearance(demo: DemoMunicipality) -> dict[str, str]:
    office = demo.office
    return {
        "theme": demo.theme,
        "font": demo.font,
        "primary_colour": demo.primary_colour,
        "secondary_colour": demo.secondary_colour,
        "accent_colour": demo.accent_colour,
        "contact_name": office["office_name"],
        "contact_address": f"{office['office_street']}\n{office['office_postcode']} {office['office_city']}",
        "contact_phone": office["office_phone"],
        "contact_email": office["office_email"],
        "contact_hours": office["opening_hours"],
    }


def _applications_demo_ensure(demo: DemoMunicipality) -> None:
    """A caseworker who works every adopted service and signs as "Petra Demo"; zones, register, text templates."""
    group, _created = Group.objects.get_or_create(name="Sachbearbeitung")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user, created = User.objects.get_or_create(
        username=demo.caseworker_email, defaults={"email": demo.caseworker_email, "is_staff": True}
    )
    if created:
        user.set_password(demo.caseworker_password)
        user.save()
        user.groups.add(group)
    for service in LocalService.objects.all():
        desk, _created = ServiceDesk.objects.get_or_create(service=service)
        desk.groups.add(group)
    letters_demo_ensure(demo.slug, user, demo.office["office_name"])
