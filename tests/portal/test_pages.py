"""Page types: hierarchy rules, accessible blocks, pages every portal must link, search, feedback and translation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context
from wagtail import blocks
from wagtail.models import Locale, Page

from cms.blocks import ImageBlock
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
from tenants.models import Municipality
from tests.applications.conftest import offer
from themes.blocks import LinkBlock
from themes.demo_images import demo_images_ensure
from themes.models import Branding

pytestmark = pytest.mark.django_db
EVERY_PAGE = ("/", "/leistungen/", "/rathaus/", "/aktuelles/", "/aktuelles/neues-buergerportal/", "/kontakt/",
              "/suche/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/leichte-sprache/")  # fmt: skip


def test_page_type_hierarchy(gera: Municipality) -> None:
    with schema_context("gera"):
        home = HomePage.objects.get()
        news_index = NewsIndexPage.objects.get()
        content = ContentPage.objects.get(slug="rathaus")
        legal = LegalPage.objects.first()
        assert NewsPage.can_create_at(news_index)
        assert not NewsPage.can_create_at(home) and not NewsPage.can_create_at(content)
        assert ContentPage.can_create_at(home) and ContentPage.can_create_at(content)
        assert not ContentPage.can_create_at(news_index) and not ContentPage.can_create_at(legal)
        assert ContactPage.can_create_at(content)
        assert not HomePage.can_create_at(home)
        # One of each per portal: the existing ones block a second.
        for singleton in (SearchPage, ServiceIndexPage, NewsIndexPage, AccessibilityStatementPage, EasyLanguagePage):
            assert not singleton.can_create_at(home), singleton
        assert LegalPage.can_create_at(home) and not LegalPage.can_create_at(content)
        assert not Page.objects.type(NewsPage).exclude(depth=home.depth + 2).exists()


def test_images_need_a_text_alternative_unless_decorative(gera: Municipality) -> None:
    block = ImageBlock()
    with schema_context("gera"):
        demo_images_ensure("gera")
        image = Branding.objects.get().coat_of_arms
        assert image is not None
        value = {"image": image.pk, "alt_text": "  ", "decorative": False, "caption": ""}
        with pytest.raises(blocks.StructBlockValidationError) as raised:
            block.clean(block.to_python(value))
        assert set(raised.value.block_errors) == {"alt_text"}
        assert block.clean(block.to_python({**value, "decorative": True}))["decorative"] is True
        assert block.clean(block.to_python({**value, "alt_text": "Wappen"}))["alt_text"] == "Wappen"


def test_links_need_exactly_one_target() -> None:
    block = LinkBlock()
    for value in ({"label": "Hier", "page": None, "url": ""}, {"label": "Hier", "page": None, "url": "https://a.de"}):
        if value["url"]:
            block.clean(block.to_python(value))
        else:
            with pytest.raises(blocks.StructBlockValidationError):
                block.clean(block.to_python(value))


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_every_page_links_the_accessibility_statement_and_easy_language(gera_client: Client, path: str) -> None:
    html = gera_client.get(path).content.decode()
    assert 'href="/barrierefreiheit/"' in html and 'href="/leichte-sprache/"' in html
    assert 'class="skip-link" href="#main"' in html and '<main id="main"' in html
    assert 'aria-label="Hauptmenü"' in html


def test_breadcrumbs_lead_home(gera_client: Client) -> None:
    html = gera_client.get("/aktuelles/neues-buergerportal/").content.decode()
    trail = html[html.index('class="breadcrumbs') : html.index("</nav>", html.index('class="breadcrumbs'))]
    assert trail.index('href="/"') < trail.index('href="/aktuelles/"') < trail.index('aria-current="page"')


def test_search_finds_services_and_pages(gera: Municipality, gera_client: Client) -> None:
    offer("gera", "hundesteuer-anmeldung")
    html = gera_client.get("/suche/", {"q": "Hund"}).content.decode()
    assert "/leistungen/hundesteuer-anmeldung/" in html
    html = gera_client.get("/suche/", {"q": "Verwaltung"}).content.decode()
    assert 'href="/rathaus/"' in html


def test_barrier_feedback_is_validated_stored_and_sent(
    gera: Municipality, gera_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        AccessibilityStatementPage.objects.update(feedback_email="barrierefrei@gera.example")
    response = gera_client.post("/en/barrierefreiheit/", {"message": "", "email": "kein-mail"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Please describe the barrier." in body and "Enter an e-mail address like name@example.de." in body
    mail.outbox.clear()
    with schema_context("gera"):
        count = AccessibilityFeedback.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = gera_client.post(
            "/barrierefreiheit/", {"message": "Das PDF ist nicht lesbar.", "page_url": "/rathaus/", "email": ""}
        )
    assert response.status_code == 302 and response["Location"].endswith("?gesendet=1#feedback")
    with schema_context("gera"):
        assert AccessibilityFeedback.objects.count() == count + 1
        assert AccessibilityFeedback.objects.first().message == "Das PDF ist nicht lesbar."  # type: ignore[union-attr]
    assert mail.outbox[-1].to == ["barrierefrei@gera.example"]
    assert "Das PDF ist nicht lesbar." in mail.outbox[-1].body


def test_feedback_stays_with_its_municipality(gera: Municipality, wurzen: Municipality) -> None:
    Client(HTTP_HOST="gera.localhost").post("/barrierefreiheit/", {"message": "Nur für Gera bestimmt"})
    with schema_context("gera"):
        feedback = AccessibilityFeedback.objects.get(message="Nur für Gera bestimmt")
    with schema_context("wurzen"):
        assert not AccessibilityFeedback.objects.filter(message="Nur für Gera bestimmt").exists()
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST="wurzen.localhost")
    with schema_context("wurzen"):
        client.force_login(get_user_model().objects.get(is_superuser=True))
    listing = client.get("/cms/snippets/cms/accessibilityfeedback/")
    assert listing.status_code == 200 and "Nur für Gera bestimmt" not in listing.content.decode()
    assert client.get(f"/cms/snippets/cms/accessibilityfeedback/edit/{feedback.pk}/").status_code in (302, 404)


def test_a_translated_page_is_served_in_english(gera: Municipality, gera_client: Client) -> None:
    with schema_context("gera"):
        english = Locale.objects.get(language_code="en")
        home = HomePage.objects.get(locale__language_code="de")
        home_en = home.copy_for_translation(english)
        home_en.title = "City of Gera"
        home_en.save_revision().publish()
        town_hall = ContentPage.objects.get(slug="rathaus", locale__language_code="de")
        town_hall_en = town_hall.copy_for_translation(english)
        town_hall_en.title, town_hall_en.slug = "Town hall and administration", "town-hall"
        town_hall_en.save_revision().publish()
    english_page = gera_client.get("/en/town-hall/").content.decode()
    assert "<h1>Town hall and administration</h1>" in english_page and '<html lang="en"' in english_page
    assert 'href="/rathaus/" lang="de" hreflang="de">Deutsch' in english_page
    german_page = gera_client.get("/rathaus/").content.decode()
    assert "<h1>Rathaus und Verwaltung</h1>" in german_page
    assert 'href="/en/town-hall/" lang="en" hreflang="en">English' in german_page
    # An untranslated page is shown under /en/ in German and marked as German for screen readers.
    untranslated = gera_client.get("/en/aktuelles/")
    assert untranslated.status_code == 404 or 'lang="de"' in untranslated.content.decode()


def _section(html: str, opening: str) -> str:
    start = html.index(opening)
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize(
    ("prefix", "menu", "footer"),
    [
        ("", ("Termine", "Beteiligung"), ("Wer ist zuständig?", "Dienststellen", "Eine Frage stellen", "Offene Daten")),
        ("/en", ("Appointments", "Participation"), ("Who is responsible?", "Offices", "Ask a question", "Open data")),
    ],
)
def test_home_page_links_every_capability_in_its_language(
    gera: Municipality, prefix: str, menu: tuple[str, ...], footer: tuple[str, ...]
) -> None:
    html = Client(HTTP_HOST="gera.localhost").get(f"{prefix}/").content.decode()
    main_menu = _section(html, '<ul id="main-menu"')
    for path, title in zip(("/termine/", "/beteiligung/"), menu, strict=True):
        assert f'<a href="{prefix}{path}">{title}</a>' in main_menu
    assert f'href="{prefix}/leistungen/"' in main_menu  # the editors' pages stay in front
    assert main_menu.index("/leistungen/") < main_menu.index("/termine/")
    footer_nav = _section(html, '<nav class="footer-portal"')
    paths = ("/zustaendigkeit/", "/dienststellen/", "/fragen/", "/daten/")
    for path, title in zip(paths, footer, strict=True):
        assert f'<a href="{prefix}{path}">{title}</a>' in footer_nav
    assert "aria-current" not in main_menu + footer_nav  # the home page is no section of these


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_open_capability_is_marked_current(gera: Municipality, prefix: str) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    main_menu = _section(client.get(f"{prefix}/beteiligung/").content.decode(), '<ul id="main-menu"')
    assert f'<a href="{prefix}/beteiligung/" aria-current="page">' in main_menu
    assert main_menu.count("aria-current") == 1
    footer_nav = _section(client.get(f"{prefix}/daten/").content.decode(), '<nav class="footer-portal"')
    assert f'<a href="{prefix}/daten/" aria-current="page">' in footer_nav
    assert footer_nav.count("aria-current") == 1
