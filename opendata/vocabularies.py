"""The controlled vocabularies DCAT-AP.de 3.0 asks for: data themes, licences, frequencies, file types.

Codes and URIs are those of the EU Publications Office authority tables and of dcat-ap.de; labels are ours.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
THEME_SCHEME = EU_AUTHORITY + "data-theme"
FREQUENCY_SCHEME = EU_AUTHORITY + "frequency"
FILE_TYPE_SCHEME = EU_AUTHORITY + "file-type"
LANGUAGE_SCHEME = EU_AUTHORITY + "language"
LICENCE_SCHEME = "http://dcat-ap.de/def/licenses"
GERMAN = EU_AUTHORITY + "language/DEU"
MUNICIPALITY_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
POLITICAL_LEVEL_MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"


class Theme(models.TextChoices):
    """The 13 data themes of DCAT-AP (EU authority table data-theme)."""

    AGRI = "AGRI", _("Agriculture, fisheries, forestry and food")
    ECON = "ECON", _("Economy and finance")
    EDUC = "EDUC", _("Education, culture and sport")
    ENER = "ENER", _("Energy")
    ENVI = "ENVI", _("Environment")
    GOVE = "GOVE", _("Government and public sector")
    HEAL = "HEAL", _("Health")
    INTR = "INTR", _("International issues")
    JUST = "JUST", _("Justice, legal system and public safety")
    REGI = "REGI", _("Regions and cities")
    SOCI = "SOCI", _("Population and society")
    TECH = "TECH", _("Science and technology")
    TRAN = "TRAN", _("Transport")


class Licence(models.TextChoices):
    """Open licences of the dcat-ap.de licence vocabulary (Datenlizenz Deutschland, Creative Commons)."""

    DL_BY = "dl-by-de/2.0", _("Data licence Germany – attribution – version 2.0")
    DL_ZERO = "dl-zero-de/2.0", _("Data licence Germany – zero – version 2.0")
    CC_BY = "cc-by/4.0", _("Creative Commons Attribution 4.0 International (CC BY 4.0)")
    CC_BY_SA = "cc-by-sa/4.0", _("Creative Commons Attribution – ShareAlike 4.0 International (CC BY-SA 4.0)")
    CC_ZERO = "cc-zero", _("Creative Commons Zero (CC0 1.0)")


# CKAN licence ids (as GovData uses them) and whether the licence asks for attribution.
LICENCE_CKAN_IDS = {
    Licence.DL_BY: "dl-by-de/2.0",
    Licence.DL_ZERO: "dl-zero-de/2.0",
    Licence.CC_BY: "CC-BY-4.0",
    Licence.CC_BY_SA: "CC-BY-SA-4.0",
    Licence.CC_ZERO: "CC0-1.0",
}
LICENCE_NEEDS_ATTRIBUTION = {Licence.DL_BY, Licence.CC_BY, Licence.CC_BY_SA}


class Frequency(models.TextChoices):
    """Update frequencies (EU authority table frequency)."""

    CONT = "CONT", _("continuously")
    DAILY = "DAILY", _("daily")
    WEEKLY = "WEEKLY", _("weekly")
    MONTHLY = "MONTHLY", _("monthly")
    QUARTERLY = "QUARTERLY", _("quarterly")
    ANNUAL = "ANNUAL", _("annually")
    IRREG = "IRREG", _("irregularly")
    NEVER = "NEVER", _("never (historical data)")


# Our formats → (EU file-type code, IANA media type).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "geojson": ("GEOJSON", "application/geo+json"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": ("HTML", "text/html"),
    "xml": ("XML", "application/xml"),
    "pdf": ("PDF", "application/pdf"),
}
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"


def theme_uri(code: str) -> str:
    return f"{THEME_SCHEME}/{code}"


def frequency_uri(code: str) -> str:
    return f"{FREQUENCY_SCHEME}/{code}"


def licence_uri(code: str) -> str:
    return f"{LICENCE_SCHEME}/{code}"


def file_type_uri(fmt: str) -> str:
    return f"{FILE_TYPE_SCHEME}/{FORMATS[fmt][0]}"


def municipality_uri(ags: str) -> str:
    return f"{MUNICIPALITY_KEY}{ags}"
