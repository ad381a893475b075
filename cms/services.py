"""Writes on a portal's page tree (run inside the municipality's schema)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from cms.models import (
    AccessibilityFeedback,
    AccessibilityStatementPage,
    ContactPage,
    ContentPage,
    EasyLanguagePage,
    HomePage,
    LegalPage,
    NewsIndexPage,
    NewsPage,
    SearchPage,
    ServiceIndexPage,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DefaultPage:
    slug: str
    title: str
    paragraphs: tuple[str, ...]


DEFAULT_CONTENT_PAGES = (
    DefaultPage(
        "rathaus",
        "Rathaus und Verwaltung",
        (
            "Hier finden Sie die Ämter der Verwaltung, ihre Öffnungszeiten und Ansprechpersonen.",
            "Viele Anliegen können Sie online erledigen – auch am Wochenende.",
        ),
    ),
)
# The legal pages' facts are generated from the legal details (cms.legal); their bodies hold what editors add.
DEFAULT_LEGAL_PAGES = (
    (LegalPage.Kind.IMPRESSUM, DefaultPage("impressum", "Impressum", ())),
    (
        LegalPage.Kind.DATENSCHUTZ,
        DefaultPage(
            "datenschutz",
            "Datenschutz",
            ("Es werden keine Schriften, Skripte oder Analysedienste Dritter geladen.",),
        ),
    ),
)
# Paragraphs of older releases that asked the editors to fill in facts; removed wherever they are still found.
OLD_PLACEHOLDERS = (
    "Anschrift, Kontakt und zuständige Aufsichtsbehörde pflegt die Redaktion hier.",
    "Die Redaktion trägt hier die Anschrift ein.",
)
ACCESSIBILITY_STATEMENT = DefaultPage(
    "barrierefreiheit",
    "Erklärung zur Barrierefreiheit",
    (
        "Die Kommune ist bemüht, dieses Portal im Einklang mit der Barrierefreie-Informationstechnik-Verordnung "
        "(BITV 2.0) barrierefrei zugänglich zu machen. Die Erklärung gilt für das gesamte Bürgerportal.",
        "Das Portal wird bei jeder Änderung automatisch gegen die Regeln der WCAG 2.1 (Stufen A und AA) geprüft.",
    ),
)
EASY_LANGUAGE = {
    "contents": "<p>Das ist die Internet-Seite von Ihrer Stadt.</p><p>Hier finden Sie Informationen "
    "über die Verwaltung.</p><p>Sie können hier auch Anträge stellen. Zum Beispiel für Ihren Hund.</p>",
    "navigation": "<p>Oben auf jeder Seite ist ein Menü.</p><p>Dort finden Sie alle wichtigen Bereiche.</p>"
    "<p>Oben ist auch ein Such-Feld. Dort können Sie ein Wort eingeben. Dann finden Sie die passenden Seiten.</p>",
    "accessibility": "<p>Barriere-frei heißt: Alle Menschen können die Internet-Seite benutzen.</p>"
    "<p>Wir geben uns viel Mühe. Aber vielleicht ist noch nicht alles barriere-frei.</p>"
    "<p>Dann schreiben Sie uns bitte. Das Formular finden Sie auf der Seite Erklärung zur Barriere-Freiheit.</p>",
}
WELCOME_NEWS = DefaultPage(
    "neues-buergerportal",
    "Das neue Bürgerportal ist online",
    (
        "Viele Anliegen können Sie jetzt online erledigen – auch abends und am Wochenende.",
        "Sagen Sie uns, was fehlt: Wir bauen das Angebot Schritt für Schritt aus.",
    ),
)


def _body(page: DefaultPage) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in page.paragraphs])


@transaction.atomic
def portal_skeleton_ensure() -> HomePage:
    """Give the current schema a home page with the default pages below it (idempotent).

    Replaces Wagtail's initial welcome page, points the default site at the home page and makes
    sure every portal language has a Wagtail locale, so that editors can translate pages.
    """
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    root = Page.get_first_root_node()
    home: HomePage | None = HomePage.objects.first()
    if home is None:
        for page in root.get_children().not_type(HomePage):
            page.delete()  # Wagtail's welcome page (and the site pointing at it)
        home = HomePage(title="Startseite", slug="home")
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, hostname="localhost", port=80)
    site.root_page = home
    site.save()
    _home_defaults(home)
    _old_placeholders_remove()

    children = {page.slug: page.specific for page in home.get_children()}
    statement = children.get(ACCESSIBILITY_STATEMENT.slug)
    if statement is not None and not isinstance(statement, AccessibilityStatementPage):
        statement.delete()  # a legal page of an older release becomes the statement with its feedback form
        del children[ACCESSIBILITY_STATEMENT.slug]
    for page in _default_children():
        if page.slug in children:
            continue
        home.add_child(instance=page)
        if isinstance(page, NewsIndexPage):
            page.add_child(
                instance=NewsPage(
                    title=WELCOME_NEWS.title,
                    slug=WELCOME_NEWS.slug,
                    teaser=WELCOME_NEWS.paragraphs[0],
                    body=_body(WELCOME_NEWS),
                )
            )
    return home


def _default_children() -> list[Page]:
    """The pages below every home page, in menu order (unsaved; only missing ones are added)."""
    return [
        ServiceIndexPage(
            title="Leistungen A–Z",
            slug="leistungen",
            show_in_menus=True,
            intro="<p>Hier finden Sie alle Leistungen der Verwaltung. Viele können Sie online beantragen.</p>",
        ),
        *(
            ContentPage(title=default.title, slug=default.slug, body=_body(default), show_in_menus=True)
            for default in DEFAULT_CONTENT_PAGES
        ),
        NewsIndexPage(title="Aktuelles", slug="aktuelles", show_in_menus=True),
        ContactPage(
            title="Kontakt und Öffnungszeiten",
            slug="kontakt",
            show_in_menus=True,
            office_name="Bürgerbüro",
            address="",
        ),
        SearchPage(title="Suche", slug="suche"),
        *(
            LegalPage(title=default.title, slug=default.slug, kind=kind, body=_body(default))
            for kind, default in DEFAULT_LEGAL_PAGES
        ),
        AccessibilityStatementPage(
            title=ACCESSIBILITY_STATEMENT.title, slug=ACCESSIBILITY_STATEMENT.slug, body=_body(ACCESSIBILITY_STATEMENT)
        ),
        EasyLanguagePage(title="Leichte Sprache", slug="leichte-sprache", **EASY_LANGUAGE),
    ]


def _old_placeholders_remove() -> None:
    """Drop the fill-in requests older releases put on legal and contact pages (idempotent)."""
    for legal in LegalPage.objects.all():
        kept = [
            block
            for block in legal.body.raw_data
            if not any(old in str(block.get("value")) for old in OLD_PLACEHOLDERS)
        ]
        if len(kept) != len(legal.body.raw_data):
            legal.body = json.dumps(kept)
            legal.save_revision().publish()
    for contact in ContactPage.objects.filter(address__in=OLD_PLACEHOLDERS):
        contact.address = ""
        contact.save_revision().publish()


def _home_defaults(home: HomePage) -> None:
    """Teaser texts for a home page that has none yet."""
    if home.participation_heading:
        return
    home.participation_heading = "Mitreden und mitgestalten"
    home.participation_text = (
        "Melden Sie Schäden im Stadtgebiet, bringen Sie Ideen ein und beteiligen Sie sich an Befragungen."
    )
    home.save_revision().publish()


@transaction.atomic
def portal_personalise(*, name: str, hostname: str, port: int, contact: dict[str, str] | None = None) -> HomePage:
    """Adapt a freshly cloned page tree and site to its municipality.

    ``contact`` fills the contact page: ``office_name``, ``address``, ``phone``, ``email``, ``opening_hours``
    (empty values keep the page's).
    """
    home: HomePage = HomePage.objects.get()
    home.title = name
    home.draft_title = name
    home.hero_heading = "Willkommen im Bürgerportal"
    home.intro = f"<p>Willkommen im Bürgerportal von {name}.</p>"
    home.save_revision().publish()
    Site.objects.filter(is_default_site=True).update(hostname=hostname, port=port, site_name=name, root_page=home)
    contact_page_fill(**(contact or {}), overwrite=True)
    return home


def contact_page_fill(*, overwrite: bool = False, **facts: str) -> None:
    """Put ``facts`` (office_name, address, phone, email, opening_hours) on the home page's contact page.

    Without ``overwrite`` only empty fields are filled (a demo re-seed keeps what editors wrote).
    """
    page = ContactPage.objects.filter(depth=3).order_by("path").first()
    if page is None:
        return
    changed = False
    for field, value in facts.items():
        if value and (overwrite or not getattr(page, field)):
            setattr(page, field, value)
            changed = True
    if changed:
        page.save_revision().publish()


@transaction.atomic
def accessibility_feedback_submit(
    *, page: AccessibilityStatementPage, message: str, page_url: str = "", name: str = "", email: str = ""
) -> AccessibilityFeedback:
    """Store a reported barrier and, after commit, e-mail it to the municipality."""
    from themes.selectors import current_branding, current_legal_details

    feedback = AccessibilityFeedback.objects.create(message=message, page_url=page_url, name=name, email=email)
    branding = current_branding()
    recipient = page.feedback_email or current_legal_details().email or branding.contact_email
    if recipient:
        transaction.on_commit(lambda: _feedback_mail(feedback, recipient, branding.display_name))
    return feedback


def _feedback_mail(feedback: AccessibilityFeedback, recipient: str, municipality: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(municipality)s: a barrier was reported on the portal") % {"municipality": municipality}
        lines = [
            _("Someone reported a barrier through the accessibility statement."),
            "",
            f"{_('Page concerned')}: {feedback.page_url or '–'}",
            f"{_('Name')}: {feedback.name or '–'}",
            f"{_('E-mail')}: {feedback.email or '–'}",
            "",
            feedback.message,
            "",
            _("The message is also listed in the editors' area under Accessibility feedback."),
        ]
    try:
        send_mail(subject, "\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [recipient])
    except Exception:  # a mail server problem must not hide that the feedback is stored
        logger.exception("Could not e-mail accessibility feedback %s", feedback.pk)
