"""Verified facts for automatic decisions: established from registers and municipal data, never from a tick box.

A decision rule lists the facts it needs verified (``verified_facts``, docs/decision-rules.md); an
automatic approval without all of them verified goes to a caseworker with the reason instead.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from amtsplatz.infra.registers import ResidenceQuery, main_residence
from applications.models import Application
from applications.zones import zone_for

Fact = dict[str, Any]  # {"verified": bool, "value": str, "source": str, "reason": str}


def _birth_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def parking_zone(data: dict[str, Any]) -> Fact:
    """The zone of the applicant's address, from the municipality's zone table."""
    found = zone_for(str(data.get("strasse") or ""))
    source = _("parking zones of the municipality")
    if found.zone:
        return {"verified": True, "value": found.zone, "source": source, "reason": ""}
    if found.candidates:
        reason = _("The address fits several parking zones (%(zones)s); a caseworker decides.") % {
            "zones": ", ".join(found.candidates)
        }
    else:
        reason = _("The address lies in no residents' parking zone of the municipality; a caseworker checks it.")
    return {"verified": False, "value": "", "source": source, "reason": reason}


def main_residence_fact(application: Application) -> Fact:
    """The applicant's main residence at the given address, as a resident register confirms it."""
    data = application.data
    query = ResidenceQuery(
        given_names=str(data.get("vorname") or ""),
        family_name=str(data.get("nachname") or ""),
        birth_date=_birth_date(data.get("geburtsdatum")),
        street_and_number=str(data.get("strasse") or ""),
        postcode=str(data.get("plz") or ""),
        city=str(data.get("ort") or ""),
        applicant_id=application.applicant_id,
    )
    finding = main_residence(query)
    if finding is None:
        reason = _("No resident register answers here; a caseworker checks the main residence.")
        return {"verified": False, "value": "", "source": "", "reason": reason}
    if finding.confirmed:
        return {"verified": True, "value": finding.detail, "source": finding.source, "reason": ""}
    reason = _("%(register)s could not confirm the main residence (%(detail)s); a caseworker checks it.") % {
        "register": finding.source,
        "detail": finding.detail,
    }
    return {"verified": False, "value": "", "source": finding.source, "reason": reason}


def zone_preview(application: Application) -> Fact | None:
    """The zone the address gives, for the review page (None when the service needs no zone)."""
    if "parking_zone" not in ((application.version.decision_rule or {}).get("verified_facts") or []):
        return None
    return parking_zone(application.data)


def establish(application: Application) -> dict[str, Fact]:
    """Every fact the version's decision rule needs verified, in the application's language."""
    wanted = (application.version.decision_rule or {}).get("verified_facts") or []
    facts: dict[str, Fact] = {}
    with translation.override(application.language):
        if "parking_zone" in wanted:
            facts["parking_zone"] = parking_zone(application.data)
        if "main_residence" in wanted:
            facts["main_residence"] = main_residence_fact(application)
    return facts


def unverified_reason(facts: dict[str, Fact]) -> str:
    """Why the facts do not carry an automatic approval ("" when they all are verified)."""
    return " ".join(fact["reason"] for fact in facts.values() if not fact["verified"])
