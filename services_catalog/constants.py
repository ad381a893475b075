"""Code lists of the shared catalogue (XZuFi-shaped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Addressee(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")
    BUSINESS = "business", _("Businesses")


class TrustLevel(models.TextChoices):
    """Vertrauensniveau (eIDAS) that an online application needs."""

    NONE = "none", _("none")
    LOW = "low", _("low")
    SUBSTANTIAL = "substantial", _("substantial")
    HIGH = "high", _("high")


class ResponsibilityLevel(models.TextChoices):
    """Who is responsible for a service in general (before a municipality resolves it to an office).

    ``district`` means the lower administrative authority of a Landkreis (the Landratsamt); in a
    kreisfreie Stadt the city itself acts as that authority.
    """

    MUNICIPALITY = "municipality", _("Municipality (Gemeinde/Stadt)")
    DISTRICT = "district", _("District (Landkreis/Landratsamt; in a kreisfreie Stadt the city)")
    STATE = "state", _("Federal state (Land)")
    FEDERAL = "federal", _("Federal body (Bund)")
    NON_PUBLIC = "non_public", _("Non-public body")


class LifeSituation(models.TextChoices):
    """Lebenslagen that citizens browse by."""

    FAMILIE = "familie", _("Family")
    WOHNEN = "wohnen", _("Housing and moving")
    MOBILITAET = "mobilitaet", _("Mobility and traffic")
    TIERE = "tiere", _("Animals")
    BAUEN = "bauen", _("Building")
    ARBEIT_GEWERBE = "arbeit-gewerbe", _("Work and business")
    SOZIALES = "soziales", _("Social benefits")
    UMWELT_ABFALL = "umwelt-abfall", _("Environment and waste")
    ORDNUNG_SICHERHEIT = "ordnung-sicherheit", _("Public order and safety")
    FREIZEIT_VERANSTALTUNGEN = "freizeit-veranstaltungen", _("Leisure and events")
    DOKUMENTE = "dokumente", _("Documents and certificates")
    GESUNDHEIT = "gesundheit", _("Health")


# Text modules in display order, with their XZuFi code where the codelist has one.
TEXT_MODULES: tuple[tuple[str, str | None, StrOrPromise], ...] = (
    ("teaser", "24", _("Teaser")),
    ("kurztext", "05", _("Summary")),
    ("volltext", "06", _("Description")),
    ("voraussetzungen", "09", _("Requirements")),
    ("unterlagen", "08", _("Documents required")),
    ("verfahrensablauf", "11", _("Procedure")),
    ("rechtsgrundlage", "07", _("Legal basis")),
    ("fristen", None, _("Deadlines")),
    ("bearbeitungsdauer", None, _("Processing time")),
    ("rechtsbehelf", "25", _("Legal remedy")),
    ("hinweise", "16", _("Notes")),
    ("weiterfuehrende_informationen", "15", _("Further information")),
)
TEXT_MODULE_KEYS = tuple(key for key, _code, _label in TEXT_MODULES)
REQUIRED_TEXT_MODULES = ("kurztext", "volltext")

DURATION_UNITS = ("days", "weeks", "months", "years")
DEADLINE_KINDS = ("application", "validity", "objection", "other")
# Facts a decision rule may require to be verified (not only declared) before it approves automatically;
# the applications side establishes them (parking zone from the address, main residence by a register).
VERIFIED_FACTS = ("parking_zone", "main_residence")
# The decision letter's titles: of an approval, of a refusal, and of the permit page an approval may carry.
DECISION_TITLE_KINDS = ("approve", "reject", "permit")
