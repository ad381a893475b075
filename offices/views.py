"""Portal pages: office directory with map, office details, the Zuständigkeitsfinder and the contact form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from amtsplatz.infra import ratelimit
from amtsplatz.infra.security.client_address import client_address
from offices import services
from offices.forms import ContactForm, ContactOriginForm, FinderForm, offered_name
from offices.models import CONTACT_RETENTION_DAYS, ContactRequest, Office
from offices.selectors import (
    Address,
    OfficeCard,
    contactable_office,
    contactable_offices,
    district_office_card,
    office_card,
    office_cards,
    responsible_office,
)
from services_catalog.local.selectors import offered_service, offered_services
from tenants.hooks import office_facts

SENT_SALT = "amtsplatz.offices.contact-sent"
CONTACTS_CHECKED = 5  # per hour and network address with the anti-spam check solved (ADR 0096)
CONTACTS_UNCHECKED = 2  # per hour from browsers without JavaScript: still possible, never locked out


def _language() -> str:
    return (get_language() or "de")[:2]


def _live(response: HttpResponse) -> HttpResponse:
    """Opening status changes by the minute: the anonymous page cache must not keep these pages."""
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _map(cards: list[OfficeCard]) -> dict[str, Any] | None:
    pinned = [card for card in cards if card.latitude is not None and card.longitude is not None]
    if not pinned:
        return None
    return {
        "lat": sum(card.latitude or 0 for card in pinned) / len(pinned),
        "lon": sum(card.longitude or 0 for card in pinned) / len(pinned),
        "zoom": 11 if len(pinned) > 1 else 15,
        "markers": [{"lat": c.latitude, "lon": c.longitude, "title": c.name, "url": c.url} for c in pinned],
    }


def directory(request: HttpRequest) -> HttpResponse:
    cards = office_cards(language=_language())
    own = [card for card in cards if card.source == "municipality"]
    district = [card for card in cards if card.source == "district"]
    context = {"own": own, "district": district, "map": _map(cards)}
    return _live(render(request, "offices/directory.html", context))


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    card = office_card(slug, language=_language())
    if card is None:
        raise Http404
    context = {"card": card, "map": _map([card]), "facts": office_facts(slug)}
    return _live(render(request, "offices/detail.html", context))


def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    card = district_office_card(slug, language=_language())
    if card is None:
        raise Http404
    return _live(render(request, "offices/detail.html", {"card": card, "map": _map([card])}))


def finder(request: HttpRequest) -> HttpResponse:
    """What do you need + where do you live → the responsible office (a GET form; works without JavaScript)."""
    language = _language()
    form = FinderForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "matches": [], "service": None, "responsibility": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        data = form.cleaned_data
        address = Address.parse(data["plz"], data["strasse"])
        # New words win over the service chosen before (the form keeps it to re-ask with another address).
        key = "" if data["q"] else data["leistung"]
        if data["q"]:
            context["matches"] = offered_services(language=language, query=data["q"])[:8]
            if len(context["matches"]) == 1:
                key = context["matches"][0].key
        if key:
            context["service"] = offered_service(key, language=language)
            if context["service"] is None:
                raise Http404
            context["responsibility"] = responsible_office(key, address=address, language=language)
        context["address"] = address
    return _live(render(request, "offices/finder.html", context, status=status))


def contact(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """The contact form of one office (``slug``) or of the municipality, where the citizen may choose an office.

    Works without JavaScript (the anti-spam check then allows fewer messages an hour); refused input answers 400,
    too many messages 429, each with the form and its messages; a stored request redirects to its confirmation.
    """
    language = _language()
    office = contactable_office(slug) if slug is not None else None
    if slug is not None and office is None:
        raise Http404
    origin = ContactOriginForm(request.GET or None, language=language)
    status = 200
    initial: dict[str, str] = {}
    if origin.is_bound and origin.is_valid():
        initial = {"frage": origin.cleaned_data["frage"], "leistung": origin.cleaned_data["leistung"]}
    elif origin.is_bound:
        status = 400
    choices = None if office is not None else contactable_offices()
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data, offices=choices, language=language, initial=initial)
    if form.is_bound:
        status = 400
        if form.is_valid():
            stored = _contact_store(request, form, office, language)
            if isinstance(stored, ContactRequest):
                sent = reverse("offices:contact-sent")
                return redirect(f"{sent}?{urlencode({'ref': signing.dumps(stored.reference, salt=SENT_SALT)})}")
            status = stored
    values = form.cleaned_data if form.is_bound else initial
    question, key = values.get("frage", ""), values.get("leistung", "")
    try:
        service_name = offered_name(key, language)
    except ValidationError:
        service_name = ""
    context = {"office": office, "form": form, "origin_invalid": origin.is_bound and not origin.is_valid(),
               "question": question, "service_name": service_name,
               "retention_days": CONTACT_RETENTION_DAYS}  # fmt: skip
    return _live(render(request, "offices/contact.html", context, status=status))


def _contact_store(
    request: HttpRequest, form: ContactForm, office: Office | None, language: str
) -> ContactRequest | int:
    """Store a valid form's request, or add the reason it was refused to the form and return the status."""
    if form.automated:
        form.add_error(
            None, _("Your message looks automated and was not sent. Please fill in only the visible fields.")
        )
        return 400
    data = form.cleaned_data
    device = ratelimit.address_key(client_address(request))
    try:
        limit = CONTACTS_CHECKED if form.checked else CONTACTS_UNCHECKED
        ratelimit.count(f"offices:rl:contact:device:{device}", limit=limit)
    except ratelimit.RateLimited as limited:
        minutes = max(limited.retry_after // 60, 1)
        form.add_error(
            None, _("You have sent several messages in a short time. Please try again in %(minutes)d minutes.")
            % {"minutes": minutes},
        )  # fmt: skip
        return 429
    chosen = office if office is not None else (contactable_office(data["buero"]) if data.get("buero") else None)
    return services.contact_request_create(
        office=chosen, name=data["name"], email=data["email"], subject=data["subject"], message=data["message"],
        service_key=data["leistung"], question=data["frage"], language=language,
    )  # fmt: skip


def contact_sent(request: HttpRequest) -> HttpResponse:
    """The confirmation: the reference number and who got the message (signed link of this portal only)."""
    try:
        reference = signing.loads(request.GET.get("ref", ""), salt=SENT_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:
        raise Http404 from None
    contact = ContactRequest.objects.select_related("office").filter(reference=reference).first()
    if contact is None:
        raise Http404
    return _live(render(request, "offices/contact_sent.html", {"contact": contact}))
