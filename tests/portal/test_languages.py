"""The English portal: no German left in the portal's own strings once the editors translated their pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Locale, Page

from cms.models import AccessibilityStatementPage, ContactPage, EasyLanguagePage, HomePage
from tenants.models import Municipality
from tests.applications.conftest import offer

pytestmark = pytest.mark.django_db
PORTAL_SOURCES = ("cms/", "themes/", "applications/templates/")
ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")


class _VisibleText(HTMLParser):
    """Text and labelling attributes of a page, without parts marked as German (lang="de" below <html>)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: inside German content?
        self._skip = 0  # inside <script>/<style>

    def _german(self) -> bool:
        return bool(self._stack and self._stack[-1])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        german = self._german() or (values.get("lang") == "de" and tag != "html")
        if not german:
            self.parts += [values[name] or "" for name in ATTRIBUTES if name in values]
        if tag in self.VOID:
            return
        self._stack.append(german)
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self._stack:
            self._stack.pop()
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._german() and not self._skip:
            self.parts.append(data)


def _german_phrases() -> set[str]:
    """The German translations of the portal's own strings (fragments around placeholders)."""
    phrases = set()
    for entry in polib.pofile(str(settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po")):
        if not any(source.startswith(PORTAL_SOURCES) for source, _line in entry.occurrences):
            continue
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for translation in filter(None, translations):
            for fragment in re.split(r"%\(\w+\)[sd]|\{\{.*?\}\}", translation):
                fragment = fragment.strip(' .,:;–-“”„"()')
                if len(fragment) >= 4 and fragment not in entry.msgid:
                    phrases.add(fragment)
    return phrases


def _translate_portal(schema: str) -> None:
    """What an editor does with Wagtail's "Translate": an English copy of every page, in English."""
    with schema_context(schema):
        english = Locale.objects.get(language_code="en")
        for page in Page.objects.filter(depth__gt=1, locale__language_code="de").specific().order_by("path"):
            if isinstance(page, EasyLanguagePage):
                continue  # Leichte Sprache is German by nature
            copy = page.copy_for_translation(english)
            copy.title = f"English {page.slug}"
            for field in ("body", "top_services"):
                if hasattr(copy, field):
                    setattr(copy, field, [])
            if isinstance(copy, HomePage):
                copy.hero_heading, copy.intro = "Welcome", "<p>Welcome to the portal.</p>"
                copy.participation_heading, copy.participation_text = "Have your say", "Report problems."
            if isinstance(copy, ContactPage):
                copy.office_name, copy.address, copy.opening_hours = "Citizens' office", "Main Street 1", "Mon 8-16"
            if isinstance(copy, AccessibilityStatementPage):
                copy.non_accessible_content = copy.enforcement_body = ""
            if hasattr(copy, "intro") and not isinstance(copy, HomePage):
                copy.intro = ""
            copy.save_revision().publish()


def test_the_english_portal_has_no_german_leftovers(gera: Municipality) -> None:
    offer("gera", "hundesteuer-anmeldung")
    _translate_portal("gera")
    client = Client(HTTP_HOST="gera.localhost")
    phrases = _german_phrases()
    assert len(phrases) > 100  # the catalogue is there and read
    paths = ["/en/", "/en/suche/?q=dog", "/en/antraege/hundesteuer-anmeldung/"]
    with schema_context("gera"):
        paths += [page.url for page in Page.objects.live().filter(locale__language_code="en", depth__gt=2)]
    assert len(paths) > 10
    # The check sees German where there is German: the German home page is full of it.
    assert {"Hauptmenü", "Diese Website durchsuchen", "Über diese Website"} <= set(_german_in(client, "/", phrases))
    for path in paths:
        assert not (leftovers := _german_in(client, path, phrases)), f"{path} shows German: {leftovers}"


def _german_in(client: Client, path: str, phrases: set[str]) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _VisibleText()
    parser.feed(response.content.decode())
    text = " ".join(" ".join(parser.parts).split())
    return sorted(phrase for phrase in phrases if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))
