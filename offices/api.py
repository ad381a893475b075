"""Offices API on a municipality's host: /api/v1/offices (own offices, then the district's)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema

from amtsplatz.infra.api_errors import ApiError
from offices.presentation import status_line
from offices.selectors import OfficeCard, district_office_card, office_card, office_cards

router = Router(tags=["offices"])


class IntervalOut(Schema):
    weekday: int
    opens: str
    closes: str
    appointment_only: bool


class ExceptionOut(Schema):
    first: str
    last: str
    opens: str | None
    closes: str | None
    reason: str


class StatusOut(Schema):
    open_now: bool
    text: str
    open_until: datetime | None
    next_opening: datetime | None
    closed_reason: str


class OfficeOut(Schema):
    id: str
    source: str
    name: str
    kind: str
    kind_label: str
    street: str
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    contact_url: str
    url: str
    status: StatusOut


class OfficeDetailOut(OfficeOut):
    step_free: bool | None
    disabled_parking: bool | None
    induction_loop: bool | None
    accessibility_note: str
    languages: list[str]
    opening_hours: list[IntervalOut]
    exceptions: list[ExceptionOut]
    closed_on_public_holidays_of_state: str
    services: list[str]


def _language() -> str:
    return (get_language() or "de")[:2]


def _summary(card: OfficeCard) -> dict[str, object]:
    status = card.status
    return {
        "id": card.slug, "source": card.source, "name": card.name, "kind": card.kind, "kind_label": card.kind_label,
        "street": card.street, "postcode": card.postcode, "city": card.city, "latitude": card.latitude,
        "longitude": card.longitude, "phone": card.phone, "email": card.email, "contact_url": card.contact_url,
        "url": card.url,
        "status": {
            "open_now": status.open_now, "text": status_line(status),
            "open_until": status.current.end if status.current else None,
            "next_opening": status.next_opening.start if status.next_opening else None,
            "closed_reason": status.closed_reason,
        },
    }  # fmt: skip


def _detail(card: OfficeCard) -> dict[str, object]:
    return {
        **_summary(card),
        "step_free": card.step_free, "disabled_parking": card.disabled_parking, "induction_loop": card.induction_loop,
        "accessibility_note": card.accessibility_note, "languages": [code for code, _label in card.languages],
        "opening_hours": [
            {"weekday": interval.weekday, "opens": f"{interval.opens:%H:%M}", "closes": f"{interval.closes:%H:%M}",
             "appointment_only": interval.appointment_only}
            for _day, intervals in card.week for interval in intervals
        ],
        "exceptions": [
            {"first": item.first.isoformat(), "last": item.last.isoformat(),
             "opens": f"{item.opens:%H:%M}" if item.opens else None,
             "closes": f"{item.closes:%H:%M}" if item.closes else None, "reason": item.reason}
            for item in card.exceptions
        ],
        "closed_on_public_holidays_of_state": card.holiday_state,
        "services": [key for key, _name in card.services],
    }  # fmt: skip


@router.get("/offices", response=list[OfficeOut], summary="Offices of this municipality and of its district")
def offices_list(request: HttpRequest) -> list[dict[str, object]]:
    """Every office with its opening status now; ``source`` is ``municipality`` or ``district`` (Landkreis)."""
    return [_summary(card) for card in office_cards(language=_language())]


@router.get("/offices/{office_id}", response={200: OfficeDetailOut, 404: ApiError}, summary="One office")
def offices_detail(request: HttpRequest, office_id: str) -> dict[str, object]:
    """One of the municipality's own offices with hours, closures, accessibility and services."""
    card = office_card(office_id, language=_language())
    if card is None:
        raise Http404("No such office here / Keine solche Dienststelle")
    return _detail(card)


@router.get(
    "/offices/district/{office_id}", response={200: OfficeDetailOut, 404: ApiError}, summary="One district office"
)
def district_offices_detail(request: HttpRequest, office_id: str) -> dict[str, object]:
    """An office of the municipality's Landkreis (never of another district)."""
    card = district_office_card(office_id, language=_language())
    if card is None:
        raise Http404("No such district office here / Keine solche Dienststelle des Landkreises")
    return _detail(card)
