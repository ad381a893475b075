"""Writes on a portal's page tree (run inside the municipality's schema)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from wagtail.models import Page, Site

from cms.models import ContentPage, HomePage, LegalPage, ServiceIndexPage


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
DEFAULT_LEGAL_PAGES = (
    (
        LegalPage.Kind.IMPRESSUM,
        DefaultPage(
            "impressum",
            "Impressum",
            (
                "Anbieterin dieses Portals ist die unten genannte Kommune, vertreten durch ihre "
                "Bürgermeisterin oder ihren Bürgermeister.",
                "Anschrift, Kontakt und zuständige Aufsichtsbehörde pflegt die Redaktion hier.",
            ),
        ),
    ),
    (
        LegalPage.Kind.DATENSCHUTZ,
        DefaultPage(
            "datenschutz",
            "Datenschutz",
            (
                "Dieses Portal verarbeitet personenbezogene Daten nur, soweit es für die Erfüllung "
                "Ihrer Anliegen nötig ist (Art. 6 Abs. 1 lit. c und e DSGVO).",
                "Es werden keine Schriften, Skripte oder Analysedienste Dritter geladen.",
            ),
        ),
    ),
    (
        LegalPage.Kind.BARRIEREFREIHEIT,
        DefaultPage(
            "barrierefreiheit",
            "Erklärung zur Barrierefreiheit",
            (
                "Die Kommune ist bemüht, dieses Portal im Einklang mit der "
                "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich "
                "zu machen.",
                "Wenn Ihnen Mängel auffallen, schreiben Sie uns bitte über die Kontaktangaben im Impressum.",
            ),
        ),
    ),
)


def _body(page: DefaultPage) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in page.paragraphs])


@transaction.atomic
def portal_skeleton_ensure() -> HomePage:
    """Give the current schema a home page with the default pages below it (idempotent).

    Replaces Wagtail's initial welcome page and points the default site at the home page.
    """
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
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

    existing = set(home.get_children().values_list("slug", flat=True))
    if "leistungen" not in existing:
        home.add_child(
            instance=ServiceIndexPage(
                title="Leistungen A–Z",
                slug="leistungen",
                show_in_menus=True,
                intro="<p>Hier finden Sie alle Leistungen der Verwaltung. Viele können Sie online beantragen.</p>",
            )
        )
    for default in DEFAULT_CONTENT_PAGES:
        if default.slug not in existing:
            home.add_child(
                instance=ContentPage(title=default.title, slug=default.slug, body=_body(default), show_in_menus=True)
            )
    for kind, default in DEFAULT_LEGAL_PAGES:
        if default.slug not in existing:
            home.add_child(instance=LegalPage(title=default.title, slug=default.slug, kind=kind, body=_body(default)))
    return home


@transaction.atomic
def portal_personalise(*, name: str, hostname: str, port: int) -> HomePage:
    """Adapt a freshly cloned page tree and site to its municipality."""
    home = HomePage.objects.get()
    home.title = name
    home.draft_title = name
    home.intro = f"<p>Willkommen im Bürgerportal von {name}.</p>"
    home.save()
    Site.objects.filter(is_default_site=True).update(hostname=hostname, port=port, site_name=name, root_page=home)
    return home
