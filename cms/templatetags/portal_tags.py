"""``{% portal_chrome as chrome %}``: navigation, breadcrumbs, languages and legal links of the page at hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.http import HttpRequest
from wagtail.models import Page

from cms.selectors import (
    FOOTER_CAPABILITIES,
    MENU_CAPABILITIES,
    LanguageLink,
    Link,
    breadcrumbs,
    capability_links,
    content_language,
    home_page_for,
    language_links,
    link_to,
    locales_by_id,
    localized_url,
    main_navigation,
    pages_of_types,
)

register = template.Library()


@dataclass
class PortalChrome:
    home_url: str = "/"
    navigation: list[Link] = field(default_factory=list)
    breadcrumbs: list[Link] = field(default_factory=list)
    languages: list[LanguageLink] = field(default_factory=list)
    legal_links: list[Link] = field(default_factory=list)
    portal_links: list[Link] = field(default_factory=list)  # capabilities linked in the footer
    accessibility_url: str = ""
    easy_language_url: str = ""
    search_url: str = ""
    service_index_url: str = ""
    # Read only by the pages that link the privacy notice (the contact form): no query for the others.
    privacy_lookup: Callable[[], str] = field(default=lambda: "", repr=False)

    @cached_property
    def privacy_url(self) -> str:
        """The privacy notice (the legal page of kind Datenschutz) in the active language, or ""."""
        return self.privacy_lookup()


@register.simple_tag(takes_context=True)
def portal_chrome(context: template.Context) -> PortalChrome:
    """Everything around a page's content; ``page`` may be missing (application views, error pages)."""
    from cms.models import AccessibilityStatementPage, EasyLanguagePage, LegalPage, SearchPage, ServiceIndexPage

    request: HttpRequest | None = context.get("request")
    page: Page | None = context.get("page")
    if request is None:
        return PortalChrome()
    home = home_page_for(request)
    if home is None:
        return PortalChrome(languages=language_links(request, None))
    current = page if isinstance(page, Page) else None
    locales = locales_by_id(request)

    found = pages_of_types(
        home, [LegalPage, AccessibilityStatementPage, EasyLanguagePage, SearchPage, ServiceIndexPage]
    )

    def url_of(model: type[Page]) -> str:
        return localized_url(found[model][0], request, locales) if found[model] else ""

    def privacy_url() -> str:
        ids = [page.pk for page in found[LegalPage]]
        notice = LegalPage.objects.filter(pk__in=ids, kind=LegalPage.Kind.DATENSCHUTZ).first()
        return localized_url(notice, request, locales) if notice is not None else ""

    statement = found[AccessibilityStatementPage][0] if found[AccessibilityStatementPage] else None
    legal_links = [link_to(item, request, locales=locales) for item in found[LegalPage]]
    if statement is not None:
        legal_links.append(link_to(statement, request, locales=locales))
    return PortalChrome(
        home_url=localized_url(home, request, locales),
        navigation=[*main_navigation(home, request, current), *capability_links(request, MENU_CAPABILITIES)],
        breadcrumbs=breadcrumbs(home, current, request) if current is not None else [],
        languages=language_links(request, current),
        legal_links=legal_links,
        portal_links=capability_links(request, FOOTER_CAPABILITIES),
        accessibility_url=localized_url(statement, request, locales) if statement is not None else "",
        easy_language_url=url_of(EasyLanguagePage),
        search_url=url_of(SearchPage),
        service_index_url=url_of(ServiceIndexPage),
        privacy_lookup=privacy_url,
    )


@register.filter
def page_url_here(page: Page, request: Any) -> str:
    """``{{ page|page_url_here:request }}``: the page's address in the active language."""
    return localized_url(page, request)


@register.filter
def content_lang(page: Page, request: HttpRequest | None = None) -> str:
    """``{{ page|content_lang:request }}``: ``lang`` value for an untranslated page shown in another language."""
    return content_language(page, locales_by_id(request)) if isinstance(page, Page) else ""


@dataclass
class PageMeta:
    description: str
    canonical: str
    alternates: list[tuple[str, str]]  # (hreflang, absolute URL), "x-default" last


@register.simple_tag(takes_context=True)
def page_meta(context: template.Context) -> PageMeta:
    """Meta description, canonical link and hreflang alternates of the page at hand (``head.html``)."""
    from django.conf import settings
    from django.urls import translate_url

    from cms.seo import meta_description

    request: HttpRequest | None = context.get("request")
    branding = context.get("branding")
    description = meta_description(
        context.get("page"), context.get("service"), getattr(branding, "display_name", "") or ""
    )
    if request is None or context.get("error_status"):  # an error page has no address of its own
        return PageMeta(description, "", [])
    path = request.path
    chrome: PortalChrome | None = context.get("chrome")
    page = context.get("page")
    # On a page itself, its translations (maybe under other slugs); below it (a service route) the same path.
    on_page = isinstance(page, Page) and urlsplit(localized_url(page, request)).path == path
    links = {link.code: link.url for link in chrome.languages} if on_page and chrome is not None else {}
    alternates = [
        (code, request.build_absolute_uri(links.get(code) or translate_url(path, code)))
        for code, _name in settings.LANGUAGES
    ]
    default = dict(alternates).get(settings.LANGUAGE_CODE, "")
    return PageMeta(description, request.build_absolute_uri(path), [*alternates, ("x-default", default)])
