"""Portal pages: office directory with map, office details, and the Zuständigkeitsfinder."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from offices.forms import FinderForm
from offices.selectors import Address, OfficeCard, district_office_card, office_card, office_cards, responsible_office
from services_catalog.local.selectors import offered_service, offered_services
from tenants.hooks import office_facts


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
