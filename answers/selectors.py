"""Reads of answers: one question in, one card out (the page and the API both call :func:`answer`)."""

from __future__ import annotations

import re

from django.utils import translation
from wagtail.models import Page, Site

from answers import responsibility
from answers.cards import Alternative, Card, Contact, article_card, service_card, with_contact_form
from answers.language import detect
from answers.local.models import LocalArticle
from answers.models import SharedArticle
from answers.retrieval import Hit, Question, retriever
from services_catalog.local.selectors import MergedService, offered_service
from services_catalog.selectors import published_version
from tenants.db import current_municipality, current_schema
from tenants.process_cache import ProcessCache
from themes.models import Branding

WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)
POSTCODE = re.compile(r"(?<!\d)\d{5}(?!\d)")  # "wir wohnen in 07549": the area rules choose the office
# Words that ask about one side of the last topic ("und was kostet das?", "where is that?").
FOCUS_WORDS = {
    "cost": {"kostet", "kosten", "gebühr", "gebühren", "preis", "teuer", "cost", "costs", "fee", "fees", "price"},
    "where": {"wo", "wohin", "adresse", "öffnungszeiten", "geöffnet", "offen", "where", "address", "open", "hours"},
    "documents": {"unterlagen", "mitbringen", "mitnehmen", "dokumente", "bring", "documents", "papers"},
    "duration": {"lange", "dauert", "dauer", "long", "takes"},
}
REFERRING_WORDS = {"das", "dafür", "dazu", "dort", "da", "es", "und", "it", "that", "this", "there", "and", "for"}
FOLLOW_UP_MAX_WORDS = 7


def focus_of(text: str) -> str:
    words = {word.lower() for word in WORD.findall(text)}
    for focus, cues in FOCUS_WORDS.items():
        if words & cues:
            return focus
    return ""


def is_follow_up(text: str) -> bool:
    """Short questions that point back ("und was kostet das?") rather than name a new topic."""
    words = [word.lower() for word in WORD.findall(text)]
    return 0 < len(words) <= FOLLOW_UP_MAX_WORDS and bool(set(words) & REFERRING_WORDS) and bool(focus_of(text))


# What a card reads besides the retrieval, per schema: the contact block, the service index's URL and the
# merged services. Forgotten on every change of a site, its branding, a page, an adoption or a definition
# (connected in answers.signals.connect); at most a minute old otherwise (ProcessCache's backstop).
portal_facts: ProcessCache[tuple[str, ...], object] = ProcessCache("answers:portal-facts-generation", max_entries=4096)


def contact() -> Contact:
    """Where people get a human answer: the municipality's contact block (and always 115)."""
    found = portal_facts.get((current_schema(), "contact"), _contact)
    assert isinstance(found, Contact)
    return found


def _contact() -> Contact:
    site = Site.objects.filter(is_default_site=True).first()
    branding = Branding.for_site(site) if site else None
    if branding is None:
        return Contact(name="", phone="", email="")
    return Contact(name=branding.contact_name, phone=branding.contact_phone, email=branding.contact_email)


def municipality_name() -> str:
    return current_municipality().name


def _offered(key: str, language: str) -> MergedService | None:
    found = portal_facts.get(
        (current_schema(), "service", key, language), lambda: offered_service(key, language=language)
    )
    assert found is None or isinstance(found, MergedService)
    return found


def _service_page_url(key: str, language: str) -> str:
    """The portal's page of an adopted service (under the service index page of the cms)."""
    url = portal_facts.get((current_schema(), "service-index"), _service_index_url)
    assert isinstance(url, str)
    if not url:
        return ""
    return f"/en{url}{key}/" if language == "en" and not url.startswith("/en/") else f"{url}{key}/"


def _service_index_url() -> str:
    index = (
        Page.objects.live()
        .filter(content_type__app_label="cms", content_type__model="serviceindexpage", locale__language_code="de")
        .first()
    )
    return (index.get_url() or "") if index is not None else ""


def _topic_hit(question: Question, topic: str) -> Hit | None:
    document = next((d for d in question.documents if d.topic == topic), None)
    return Hit(document, 1.0) if document else None


def answer(text: str, *, page_language: str = "de", last_topic: str = "", method: str | None = None) -> Card:
    """The card for ``text``: the best match if retrieval is sure, else "I don't know" with contacts."""
    text = " ".join(text.split())[:300]
    language = detect(text, page_language)
    with translation.override(language):
        card = Card(status="unsure", language=language, question=text, contact=contact(), focus=focus_of(text))
        question = Question(text, place=municipality_name())
        chosen = retriever(method)
        hits = chosen.rank(question)
        best = hits[0] if hits and chosen.sure(question, hits[0]) else None
        if last_topic and is_follow_up(text):
            followed = _topic_hit(question, last_topic)
            if followed is not None:
                best, card.follow_up = followed, True
        card.alternatives = [
            _alternative(hit, language)
            for hit in hits[:4]
            if hit.score >= chosen.sure_from * 0.6 and (best is None or hit.document.topic != best.document.topic)
        ][:2]
        if best is None:
            return with_contact_form(card)
        return _filled(card, best)


def _postcode(text: str) -> str:
    found = POSTCODE.search(text)
    return found.group(0) if found else ""


def _alternative(hit: Hit, language: str) -> Alternative:
    return Alternative(topic=hit.document.topic, title=hit.document.names[1 if language == "en" else 0])


def _filled(card: Card, hit: Hit) -> Card:
    document = hit.document
    card.status, card.topic = "answer", document.topic
    municipality = municipality_name()
    if document.kind == "service":
        assert document.version_id is not None
        merged = _offered(document.key, card.language)
        version = merged.version if merged is not None else published_version(document.version_id)
        service_url = _service_page_url(document.key, card.language) if merged is not None else ""
        office = responsibility.office_part(
            document.key, merged, municipality, card.language, postcode=_postcode(card.question)
        )
        card = service_card(
            card,
            key=document.key,
            version=version,
            merged=merged,
            municipality=municipality,
            service_url=service_url,
            office_facts=office.facts,
        )
        return with_contact_form(card, key=document.key if merged is not None else "", office_slug=office.office_slug)
    manager = SharedArticle.objects if document.kind == "shared_article" else LocalArticle.objects
    article = manager.filter(slug=document.key).first()
    if article is None:  # deleted since the index was built (it is rebuilt on the next question)
        card.status, card.topic = "unsure", ""
        return with_contact_form(card)
    owner = "" if document.kind == "shared_article" else municipality
    return with_contact_form(article_card(card, article=article, owner=owner))
