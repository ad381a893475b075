"""The decision document of an application: built from its data, the catalogue and the responsible authority.

The Rechtsbehelfsbelehrung names the remedy, the deadline from the catalogue (one month after
notification unless the catalogue says otherwise), the authority with its postal address, the form
(written or for the record) and the electronic ways the municipality offers (Settings → Decision
letters). A manual decision is signed "Im Auftrag" with the caseworker's name, role and office.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from amtsplatz.infra.authority import Authority, responsible_authority
from applications.documents import DecisionDocument, Letterhead, Permit, render_decision_pdf
from applications.models import Application, DecisionLetterSettings, StaffProfile
from applications.selectors import group_answers
from applications.states import Status
from tenants.db import current_municipality
from themes.selectors import current_branding, image_data_uri

PERMIT_FIELD_TYPES = ("text", "text_latin")
PERSON_FIELDS = ("vorname", "nachname", "strasse", "plz", "ort")


def authority(application: Application) -> Authority:
    """The office that decides: the offices' answer for the applicant's address, else the service's local entry."""
    data = application.data
    found = responsible_authority(
        application.version.definition.key, postcode=str(data.get("plz") or ""), street=str(data.get("strasse") or "")
    )
    if found is not None:
        return found
    service = application.service
    return Authority(
        body=current_municipality().name, office=service.office_name, street=service.office_street,
        postcode=service.office_postcode, city=service.office_city, phone=service.office_phone,
        email=service.office_email,
    )  # fmt: skip


def _letterhead(issuer: Authority) -> Letterhead:
    branding = current_branding()
    return Letterhead(
        municipality_name=branding.display_name or current_municipality().name,
        primary_colour=branding.primary_colour,
        office_name=issuer.office or issuer.body,
        office_address="\n".join(issuer.address_lines),
        office_phone=issuer.phone,
        office_email=issuer.email,
        logo_data_uri=image_data_uri(branding.coat_of_arms),
    )


def _deadline(application: Application) -> str:
    """ "within one month" (the catalogue's objection deadline; one month when it names none)."""
    found = next((item for item in application.version.deadlines or [] if item.get("kind") == "objection"), None)
    duration, unit = (found["duration"], found["unit"]) if found else (1, "months")
    if (duration, unit) == (1, "months"):
        return _("within one month")
    phrases = {
        "days": ngettext("within %(count)d day", "within %(count)d days", duration),
        "weeks": ngettext("within %(count)d week", "within %(count)d weeks", duration),
        "months": ngettext("within %(count)d month", "within %(count)d months", duration),
        "years": ngettext("within %(count)d year", "within %(count)d years", duration),
    }
    return phrases[unit] % {"count": duration}


def _electronic_ways() -> list[str]:
    settings = DecisionLetterSettings.load()
    ways = []
    if settings.objection_email:
        ways.append(
            _("by e-mail with a qualified electronic signature to %(address)s") % {"address": settings.objection_email}
        )
    if settings.objection_de_mail:
        ways.append(
            _("by De-Mail with the dispatch option “absenderbestätigt” to %(address)s")
            % {"address": settings.objection_de_mail}
        )
    if settings.objection_online_url:
        ways.append(_("through the online service %(url)s") % {"url": settings.objection_online_url})
    return ways


def remedy_instructions(application: Application, issuer: Authority) -> str:
    """The Rechtsbehelfsbelehrung's instructions: remedy, deadline, authority and address, form, electronic way.

    Only for services whose catalogue entry has an objection deadline (the remedy is a Widerspruch);
    others show the catalogue's text alone.
    """
    if not any(item.get("kind") == "objection" for item in application.version.deadlines or []):
        return ""
    place = ", ".join([issuer.name, *issuer.address_lines])
    text = _(
        "An objection (Widerspruch) against this decision may be lodged %(deadline)s after it has been made known. "
        "The objection must be lodged in writing or for the record (zur Niederschrift) with %(authority)s."
    ) % {"deadline": _deadline(application), "authority": place}
    ways = _electronic_ways()
    if ways:
        text += " " + _("It may also be lodged electronically: %(ways)s.") % {"ways": "; ".join(ways)}
    return text


def signature(application: Application, signer: StaffProfile | None = None) -> str:
    """ "Im Auftrag", name, role and office of the caseworker; the note of an automatic decision otherwise.

    ``signer`` is who is about to decide (the preview); otherwise whoever decided. Never a login name.
    """
    if signer is None and application.decided_by_id:
        signer = StaffProfile.objects.filter(user_id=application.decided_by_id).first()
    if signer is None:
        return _("This decision was made automatically and is valid without a signature.")
    office_line = ", ".join(filter(None, [signer.role, signer.office]))
    return "\n".join([pgettext("signature of a decision", "On behalf"), signer.display_name, office_line])


def _validity(application: Application) -> datetime.timedelta | None:
    for deadline in application.version.deadlines or []:
        if deadline.get("kind") == "validity" and deadline.get("duration"):
            days = {"days": 1, "weeks": 7, "months": 30, "years": 365}[deadline["unit"]] * deadline["duration"]
            return datetime.timedelta(days=days)
    return None


def _on_permit(spec: dict[str, Any], value: Any) -> bool:
    return (
        spec.get("type") in PERMIT_FIELD_TYPES and spec["kind"] == "input" and bool(value)
        and spec.get("id") not in PERSON_FIELDS
    )  # fmt: skip


def _permit(application: Application, language: str, issuer: Authority, decided_on: datetime.date) -> Permit | None:
    """A printable permit for approvals that grant something for a period: zone, plate, validity, issuer."""
    validity = _validity(application)
    if validity is None:
        return None
    groups = (application.version.form_schema or {}).get("groups") or []
    lines: list[tuple[str, str]] = [(_("Holder"), application.applicant_name)]
    zone = (application.facts or {}).get("parking_zone") or {}
    if zone.get("verified"):
        lines.append((_("Parking zone"), str(zone["value"])))
    if groups:
        # The last step's filled-in text fields (e.g. the licence plate), with its sub-groups and repeated entries.
        lines += group_answers(application, groups[-1], keep=_on_permit)
    lines.append((_("Issuing authority"), issuer.name))
    title = application.version.decision_title_for("permit", language) or application.version.name(language)
    return Permit(title=title, lines=lines, valid_from=decided_on, valid_until=decided_on + validity)


def decision_document(
    application: Application, outcome: str, *, signer: StaffProfile | None = None
) -> DecisionDocument:
    """The letter of ``outcome`` (``approved``/``rejected``) as issued today (``signer``: the preview's signer)."""
    language = application.language
    data: dict[str, Any] = application.data
    address = "\n".join(
        filter(None, [str(data.get("strasse") or ""), f"{data.get('plz', '')} {data.get('ort', '')}".strip()])
    )
    approve = outcome == Status.APPROVED
    day = timezone.localdate()
    issuer = authority(application)
    version = application.version
    with translation.override(language):
        title = version.decision_title_for("approve" if approve else "reject", language) or _(
            "Decision on %(service)s"
        ) % {"service": version.name(language)}
        return DecisionDocument(
            letterhead=_letterhead(issuer),
            language=language,
            applicant_name=application.applicant_name,
            applicant_address=address,
            reference=application.reference or "",
            title=title,
            outcome="approve" if approve else "reject",
            reasons=application.decision_reasons,
            fee=application.fee,
            fee_paid=not application.fee_due,
            remedy_instructions=remedy_instructions(application, issuer),
            legal_remedy=version.text("rechtsbehelf", language),
            decided_on=day,
            decided_by=signature(application, signer),
            permit=_permit(application, language, issuer, day) if approve else None,
        )


def decision_document_store(application: Application, outcome: str) -> None:
    """Render the PDF and keep it in private storage (the caller saves the application)."""
    pdf = render_decision_pdf(decision_document(application, outcome))
    application.decision_document.save(
        f"applications/{application.public_id}/bescheid-{application.reference}.pdf", ContentFile(pdf), save=False
    )
