"""Answer cards: structured facts from the data, each with its source — never generated prose."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from answers.models import ArticleContent
from services_catalog.local.selectors import MergedService
from services_catalog.models import ServiceVersion

PHONE_115 = "115"


@dataclass(frozen=True)
class Fact:
    kind: str  # "office", "hours", "documents", "cost", "duration", "note", "text"
    label: str
    text: str
    source: str
    source_url: str = ""


@dataclass(frozen=True)
class Action:
    kind: str  # "apply", "appointment", "page", "call"
    label: str
    url: str


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str
    phone_115: str = PHONE_115
    form_url: str = ""  # the contact form, carrying the question (and service) the card answered


@dataclass(frozen=True)
class Alternative:
    topic: str
    title: str


@dataclass
class Card:
    status: str  # "answer" or "unsure"
    language: str
    question: str
    contact: Contact
    topic: str = ""
    focus: str = ""
    follow_up: bool = False
    title: str = ""
    summary: str = ""
    facts: list[Fact] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def money(amount: Decimal) -> str:
    return f"{number_format(amount, 2)} EUR"


def cost_text(version: ServiceVersion, language: str) -> str:
    costs = version.costs or {}
    kind = costs.get("kind")
    if kind == "fixed":
        text = money(Decimal(costs["amount"]))
    elif kind == "range":
        text = _("between %(low)s and %(high)s") % {
            "low": money(Decimal(costs["min"])),
            "high": money(Decimal(costs["max"])),
        }
    elif kind == "variable":
        text = _("varies")
    else:
        text = _("free of charge")
    note = (costs.get("note") or {}).get(language) or (costs.get("note") or {}).get("de") or ""
    return f"{text}. {note}" if note else text


def duration_text(version: ServiceVersion, language: str) -> str:
    time = version.processing_time or {}
    parts = []
    if isinstance(time.get("duration"), int):
        count = time["duration"]
        units = {
            "days": ngettext("%(count)d day", "%(count)d days", count),
            "weeks": ngettext("%(count)d week", "%(count)d weeks", count),
            "months": ngettext("%(count)d month", "%(count)d months", count),
            "years": ngettext("%(count)d year", "%(count)d years", count),
        }
        if time.get("unit") in units:
            parts.append(_("about %(duration)s") % {"duration": units[time["unit"]] % {"count": count}})
    text = version.text("bearbeitungsdauer", language)
    if text:
        parts.append(text)
    return " — ".join(parts)


def url_if_routed(name: str, **kwargs: str) -> str:
    """The URL of a route by name, or "" while no installed capability offers it (e.g. appointments)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def with_contact_form(card: Card, *, key: str = "", office_slug: str = "") -> Card:
    """Point the card's contact block at the contact form: the responsible office's when it is one of the
    municipality's own, else the general one; the question (and the service) travel along to be quoted."""
    url = url_if_routed("offices:office-contact", slug=office_slug) if office_slug else url_if_routed("offices:contact")
    query = {name: value for name, value in (("frage", card.question), ("leistung", key)) if value}
    if url and query:
        url = f"{url}?{urlencode(query)}"
    card.contact = replace(card.contact, form_url=url)
    return card


def service_card(
    card: Card,
    *,
    key: str,
    version: ServiceVersion,
    merged: MergedService | None,
    municipality: str,
    service_url: str,
    office_facts: list[Fact],
) -> Card:
    """Fill ``card`` with one service as this municipality offers it (or as the catalogue describes it)."""
    language = card.language
    catalogue = _("Shared service catalogue, version %(number)d") % {"number": version.number}
    local = _("Information from %(municipality)s") % {"municipality": municipality}
    card.title = version.name(language)
    card.summary = version.text("teaser", language) or version.text("kurztext", language)
    facts = list(office_facts)
    documents = version.text("unterlagen", language)
    if documents:
        facts.append(Fact("documents", _("What to bring"), documents, catalogue, service_url))
    if merged is not None and merged.local_fee is not None:
        facts.append(Fact("cost", _("Cost"), money(merged.local_fee), local, service_url))
    else:
        facts.append(Fact("cost", _("Cost"), cost_text(version, language), catalogue, service_url))
    duration = duration_text(version, language)
    if duration:
        facts.append(Fact("duration", _("How long it takes"), duration, catalogue, service_url))
    if merged is not None and merged.local_note:
        facts.append(Fact("note", _("Local note"), merged.local_note, local, service_url))
    card.facts = facts
    actions = []
    if merged is not None and merged.online_available and version.form_schema:
        actions.append(Action("apply", _("Apply online"), url_if_routed("applications:start", service_key=key)))
    appointment = url_if_routed("appointments:book", service_key=key) if merged is not None else ""
    if appointment:
        actions.append(Action("appointment", _("Book an appointment"), appointment))
    if service_url:
        actions.append(Action("page", _("Everything about this service"), service_url))
    phone = next((f.text for f in office_facts if f.kind == "phone"), "") or card.contact.phone
    if phone:
        actions.append(Action("call", _("Call %(phone)s") % {"phone": phone}, f"tel:{phone.replace(' ', '')}"))
    card.actions = [action for action in actions if action.url]
    return card


def article_card(card: Card, *, article: ArticleContent, owner: str) -> Card:
    language = card.language
    card.title = article.title(language)
    card.summary = ""
    source = f"{article.source} ({owner})" if owner else article.source
    card.facts = [Fact("text", article.title(language), article.body(language), source, article.source_url)]
    card.actions = []
    if card.contact.phone:
        phone = card.contact.phone
        card.actions.append(Action("call", _("Call %(phone)s") % {"phone": phone}, f"tel:{phone.replace(' ', '')}"))
    return card
