"""Reads for portal pages: navigation, breadcrumbs, language links, home-page teasers and search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.functional import Promise
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from services_catalog.local.selectors import MergedService, offered_services
from tenants.db import current_schema

if TYPE_CHECKING:
    from cms.models import HomePage


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    current: bool = False
    language: str = ""  # set when the linked page is not in the active language (lang attribute)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language, e.g. "Deutsch"
    url: str
    active: bool


@dataclass(frozen=True)
class SearchResults:
    services: list[MergedService]
    pages: list[Page]


LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def _active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def locales_by_id(request: HttpRequest | None = None) -> dict[int, Locale]:
    """The schema's locales (two rows); looked up once per request and schema when ``request`` is given."""
    if request is None:
        return {locale.pk: locale for locale in Locale.objects.all()}
    memo: dict[str, dict[int, Locale]] = request.__dict__.setdefault("_amtsplatz_locales", {})
    schema = current_schema()
    if schema not in memo:
        memo[schema] = {locale.pk: locale for locale in Locale.objects.all()}
    return memo[schema]


def _localized(page: Page, locales: dict[int, Locale]) -> Page:
    """``page.localized`` without a query for the active locale per call."""
    active = next((locale for locale in locales.values() if locale.language_code[:2] == _active_language()), None)
    if active is None or page.locale_id == active.pk:
        return page
    return page.get_translation_or_none(active) or page


def localized_url(page: Page, request: HttpRequest | None = None, locales: dict[int, Locale] | None = None) -> str:
    """The page's address in the active language: its translation's, else the same page under the language prefix."""
    locales = locales or locales_by_id(request)
    localized = _localized(page, locales)
    url = localized.get_url(request) or ""
    page_language = locales[localized.locale_id].language_code[:2]
    active = _active_language()  # read before the override below, which changes it
    if page_language == active:
        return url
    with override(page_language):  # the untranslated page's address resolves in its own language
        return translate_url(url, active)


def content_language(page: Page, locales: dict[int, Locale] | None = None) -> str:
    """The language of ``page``'s content when it differs from the active language (else empty)."""
    locales = locales or locales_by_id()
    page_language = locales[_localized(page, locales).locale_id].language_code[:2]
    return page_language if page_language != _active_language() else ""


def link_to(
    page: Page, request: HttpRequest | None, current: bool = False, locales: dict[int, Locale] | None = None
) -> Link:
    """A link to ``page`` in the active language, marked with its content language when untranslated."""
    locales = locales or locales_by_id(request)
    localized = _localized(page, locales)
    return Link(
        localized.title,
        localized_url(page, request, locales),
        current=current,
        language=content_language(page, locales),
    )


def home_page_for(request: HttpRequest) -> HomePage | None:
    """The home page of the request's site, in the active language when translated."""
    from cms.models import HomePage

    site = getattr(request, "_wagtail_site", None) or _site(request)
    if site is None:
        return None
    root = site.root_page.localized.specific
    return root if isinstance(root, HomePage) else None


def _site(request: HttpRequest) -> Any:
    from wagtail.models import Site

    site = Site.find_for_request(request)
    request._wagtail_site = site  # type: ignore[attr-defined]
    return site


def main_navigation(home: Page, request: HttpRequest, current: Page | None) -> list[Link]:
    """The home page's live children marked "show in menus", in tree order."""
    current_path = current.path if current is not None else ""
    locales = locales_by_id(request)
    return [
        link_to(child, request, current=bool(current_path.startswith(child.path)), locales=locales)
        for child in home.get_children().live().in_menu().public().order_by("path")
    ]


# The capabilities every portal offers, linked by URL name (cms is layer 3: it never imports their models).
# The main menu gets what citizens come for most; the footer the rest, to keep the menu short.
MENU_CAPABILITIES = (("appointments:start", _("Appointments")), ("participation:start", _("Participation")))
FOOTER_CAPABILITIES = (
    ("offices:finder", _("Who is responsible?")),
    ("offices:directory", _("Offices")),
    ("answers:ask", _("Ask a question")),
    ("opendata:list", _("Open data")),
)


def capability_links(request: HttpRequest, capabilities: Sequence[tuple[str, Promise]]) -> list[Link]:
    """Links to capability views in the active language, the one whose section is open marked current."""
    links = []
    for url_name, title in capabilities:
        url = reverse(url_name)  # i18n_patterns: carries the active language's prefix ("/en/…")
        links.append(Link(str(title), url, current=request.path.startswith(url)))
    return links


def breadcrumbs(home: Page, page: Page, request: HttpRequest) -> list[Link]:
    """From the home page down to (but without) ``page``."""
    if page.depth <= home.depth:
        return []
    ancestors = page.get_ancestors().filter(depth__gte=home.depth).order_by("depth")
    locales = locales_by_id(request)
    return [link_to(ancestor, request, locales=locales) for ancestor in ancestors]


def language_links(request: HttpRequest, page: Page | None) -> list[LanguageLink]:
    """Where the current page lives in each portal language (its translation, or the same path)."""
    active = _active_language()
    locales = {locale.language_code[:2]: locale for locale in locales_by_id(request).values()} if page else {}
    links = []
    for code, _name in settings.LANGUAGES:
        url = ""
        if page is not None and code in locales:
            translation = page.get_translation_or_none(locales[code])
            if translation is not None and translation.live:
                url = translation.get_url(request) or ""
        links.append(
            LanguageLink(
                code=code,
                name=LANGUAGE_NAMES.get(code, code),
                url=url or translate_url(request.get_full_path(), code),
                active=code == active,
            )
        )
    return links


def pages_of_types(home: Page, models: Sequence[type[Page]]) -> dict[type[Page], list[Page]]:
    """The live pages of each of ``models`` below ``home`` in tree order (e.g. search and legal pages).

    One query for all of them, on the page table alone: the portal chrome needs titles and URLs only.
    """
    content_types = ContentType.objects.get_for_models(*models, for_concrete_models=False)
    model_by_type = {content_type.pk: model for model, content_type in content_types.items()}
    found: dict[type[Page], list[Page]] = {model: [] for model in models}
    pages = Page.objects.live().descendant_of(home).filter(content_type_id__in=model_by_type).order_by("path")
    for page in pages:
        found[model_by_type[page.content_type_id]].append(page)
    return found


def home_top_services(home: HomePage, *, language: str, fallback: int) -> list[MergedService]:
    """The services the editors chose for the home page, or the first online services when none are chosen."""
    offered = offered_services(language=language)
    chosen = [block.value for block in home.top_services]
    if chosen:
        by_key = {service.key: service for service in offered}
        return [by_key[key] for key in chosen if key in by_key]
    return [service for service in offered if service.online_available][:fallback]


def latest_news(home: Page, *, limit: int) -> list[Page]:
    from cms.models import NewsPage

    return list(NewsPage.objects.live().public().descendant_of(home).order_by("-date", "-pk")[:limit])


def portal_search(query: str, *, language: str, home: Page | None = None) -> SearchResults:
    """Services first (they are what people look for most), then matching pages of the portal."""
    pages = Page.objects.live().public().specific()
    if home is not None:
        pages = pages.descendant_of(home)
    return SearchResults(
        services=offered_services(language=language, query=query),
        pages=list(pages.search(query)[:30]),
    )
