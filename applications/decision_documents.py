"""The decision document of an application: built from its data and the municipality's branding."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.documents import DecisionDocument, Letterhead, Permit, render_decision_pdf
from applications.models import Application
from applications.selectors import group_answers
from applications.states import Status
from tenants.db import current_municipality
from themes.selectors import current_branding, image_data_uri

PERMIT_FIELD_TYPES = ("text", "text_latin")


def _letterhead(application: Application) -> Letterhead:
    branding = current_branding()
    service = application.service
    address = "\n".join(
        filter(None, [service.office_street, f"{service.office_postcode} {service.office_city}".strip()])
    )
    return Letterhead(
        municipality_name=branding.display_name or current_municipality().name,
        primary_colour=branding.primary_colour,
        office_name=service.office_name,
        office_address=address,
        office_phone=service.office_phone,
        office_email=service.office_email,
        logo_data_uri=image_data_uri(branding.coat_of_arms),
    )


def _validity(application: Application) -> datetime.timedelta | None:
    for deadline in application.version.deadlines or []:
        if deadline.get("kind") == "validity" and deadline.get("duration"):
            days = {"days": 1, "weeks": 7, "months": 30, "years": 365}[deadline["unit"]] * deadline["duration"]
            return datetime.timedelta(days=days)
    return None


def _on_permit(spec: dict[str, Any], value: Any) -> bool:
    return spec.get("type") in PERMIT_FIELD_TYPES and spec["kind"] == "input" and bool(value)


def _permit(application: Application, language: str) -> Permit | None:
    """A printable permit for approved services that grant something for a period (e.g. parking)."""
    validity = _validity(application)
    if validity is None:
        return None
    groups = (application.version.form_schema or {}).get("groups") or []
    lines: list[tuple[str, str]] = [(_("Holder"), application.applicant_name)]
    if groups:
        # The last step's filled-in text fields, with those of its sub-groups and of every repeated entry.
        lines += group_answers(application, groups[-1], keep=_on_permit)
    today = timezone.localdate()
    return Permit(title=application.version.name(language), lines=lines, valid_from=today, valid_until=today + validity)


def decision_document(application: Application, outcome: str) -> DecisionDocument:
    language = application.language
    data: dict[str, Any] = application.data
    address = "\n".join(
        filter(None, [str(data.get("strasse") or ""), f"{data.get('plz', '')} {data.get('ort', '')}".strip()])
    )
    approve = outcome == Status.APPROVED
    with translation.override(language):
        decided_by = (
            application.decided_by.get_full_name() or application.decided_by.get_username()
            if application.decided_by
            else _("This decision was made automatically and is valid without a signature.")
        )
        return DecisionDocument(
            letterhead=_letterhead(application),
            language=language,
            applicant_name=application.applicant_name,
            applicant_address=address,
            reference=application.reference or "",
            service_name=application.version.name(language),
            outcome="approve" if approve else "reject",
            reasons=application.decision_reasons,
            fee=application.fee,
            fee_paid=not application.fee_due,
            legal_remedy=application.version.text("rechtsbehelf", language),
            decided_on=timezone.localdate(),
            decided_by=decided_by,
            permit=_permit(application, language) if approve else None,
        )


def decision_document_store(application: Application, outcome: str) -> None:
    """Render the PDF and keep it in private storage (the caller saves the application)."""
    pdf = render_decision_pdf(decision_document(application, outcome))
    application.decision_document.save(
        f"applications/{application.public_id}/bescheid-{application.reference}.pdf", ContentFile(pdf), save=False
    )
