"""What cms contributes to a new municipality's schema and to the template schema (``tenants.hooks``)."""

from __future__ import annotations

from cms.services import portal_personalise, portal_skeleton_ensure
from tenants.hooks import NewPortal


def _contact(portal: NewPortal) -> dict[str, str]:
    """The contact page's facts: the contact block of the onboarding, else the authority's legal details."""
    legal, appearance = portal.legal, portal.appearance
    street_city = "\n".join(
        line
        for line in (legal.get("street", ""), f"{legal.get('postcode', '')} {legal.get('city', '')}".strip())
        if line
    )
    return {
        "office_name": appearance.get("contact_name") or legal.get("authority_name") or "",
        "address": appearance.get("contact_address") or street_city,
        "phone": appearance.get("contact_phone") or legal.get("phone") or "",
        "email": appearance.get("contact_email") or legal.get("email") or "",
        "opening_hours": appearance.get("contact_hours") or "",
    }


def portal_setup(portal: NewPortal) -> None:
    """Site and page titles of the cloned page tree and its contact page, for the new municipality."""
    portal_personalise(name=portal.name, hostname=portal.hostname, port=portal.port, contact=_contact(portal))


def template_setup() -> None:
    """The default page tree every new municipality starts from."""
    portal_skeleton_ensure()
