"""Example content for the demo portals: a page that uses every content block, and some news."""

from __future__ import annotations

import datetime
import json

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Site

from amtsplatz.infra.pdf import render_pdf
from cms.models import ContentPage, NewsIndexPage, NewsPage, ServiceIndexPage
from themes.models import Branding

SHOWCASE_SLUG = "so-funktioniert-das-portal"
NEWS = (
    ("sprechzeiten-zwischen-den-jahren", "Sprechzeiten zwischen den Jahren", "Vom 27. bis 30. Dezember ist das "
     "Bürgerbüro nur vormittags geöffnet. Online-Anträge können Sie wie immer stellen."),
    ("hundesteuer-online", "Hundesteuer jetzt online anmelden", "Ihren Hund melden Sie ab sofort online an – "
     "der Bescheid kommt als PDF in Ihr Postfach."),
)  # fmt: skip


def _merkblatt_pdf(name: str) -> bytes:
    html = (
        f"<html lang='de'><body><h1>Merkblatt Bürgerservice – {name}</h1>"
        "<p>Welche Unterlagen Sie für häufige Anliegen mitbringen.</p></body></html>"
    )
    return render_pdf(html)


def showcase_ensure() -> None:
    """Below "Rathaus und Verwaltung": one page with every block type; plus two news items (idempotent)."""
    site = Site.objects.get(is_default_site=True)
    branding = Branding.for_site(site)
    home = site.root_page
    rathaus = ContentPage.objects.child_of(home).filter(slug="rathaus").first()
    if rathaus is not None and not ContentPage.objects.child_of(rathaus).filter(slug=SHOWCASE_SLUG).exists():
        document = Document(title="Merkblatt Bürgerservice")
        document.file.save("merkblatt-buergerservice.pdf", ContentFile(_merkblatt_pdf(branding.display_name)))
        services = ServiceIndexPage.objects.child_of(home).first()
        rathaus.add_child(instance=_showcase_page(branding, document, services.pk if services else None))
    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        return
    today = timezone.localdate()
    for days_ago, (slug, title, teaser) in enumerate(NEWS, start=1):
        if not NewsPage.objects.child_of(news_index).filter(slug=slug).exists():
            news_index.add_child(
                instance=NewsPage(title=title, slug=slug, teaser=teaser, date=today - datetime.timedelta(days=days_ago))
            )


def _showcase_page(branding: Branding, document: Document, services_page_id: int | None) -> ContentPage:
    contact = {
        "name": branding.contact_name or branding.display_name,
        "role": "Bürgerservice",
        "address": branding.contact_address,
        "phone": branding.contact_phone,
        "email": branding.contact_email,
        "hours": branding.contact_hours,
    }
    body = [
        {"type": "heading", "value": {"text": "Online, am Telefon oder vor Ort"}},
        {
            "type": "paragraph",
            "value": "<p>Die meisten Anliegen erledigen Sie online. Wenn Sie Hilfe brauchen, "
            "rufen Sie uns an oder kommen Sie vorbei.</p>",
        },
        {
            "type": "image",
            "value": {
                "image": branding.coat_of_arms_id,
                "alt_text": f"Wappen von {branding.display_name}",
                "decorative": False,
                "caption": "Das Wappen der Stadt",
            },
        },
        {
            "type": "accordion",
            "value": {
                "items": [
                    {"title": "Brauche ich ein Konto?", "body": "<p>Nein. Eine E-Mail-Adresse genügt.</p>"},
                    {
                        "title": "Wie bezahle ich Gebühren?",
                        "body": "<p>Online mit den üblichen Zahlungsarten oder vor Ort.</p>",
                    },
                ]
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Alle Leistungen auf einen Blick",
                "text": "Von der Anmeldung des Wohnsitzes bis zur Hundesteuer.",
                "link": {"label": "Zu den Leistungen", "page": services_page_id, "url": ""},
            },
        },
        {"type": "contact_card", "value": contact},
        {
            "type": "downloads",
            "value": {"heading": "Zum Herunterladen", "files": [{"document": document.pk, "title": ""}]},
        },
    ]
    return ContentPage(
        title="So funktioniert das Portal",
        slug=SHOWCASE_SLUG,
        intro="Was Sie online erledigen können und wo Sie Hilfe bekommen.",
        body=json.dumps(body),
        show_in_menus=True,
    )
