"""``{% portal_chrome as chrome %}``: navigation, breadcrumbs, languages and legal links of the page at hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.http import HttpRequest
from wagtail.models import Page

from cms.selectors import (
    LanguageLink,
    Link,
    breadcrumbs,
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
    accessibility_url: str = ""
    easy_language_url: str = ""
    search_url: str = ""
    service_index_url: str = ""


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

    statement = found[AccessibilityStatementPage][0] if found[AccessibilityStatementPage] else None
    legal_links = [link_to(item, request, locales=locales) for item in found[LegalPage]]
    if statement is not None:
        legal_links.append(link_to(statement, request, locales=locales))
    return PortalChrome(
        home_url=localized_url(home, request, locales),
        navigation=main_navigation(home, request, current),
        breadcrumbs=breadcrumbs(home, current, request) if current is not None else [],
        languages=language_links(request, current),
        legal_links=legal_links,
        accessibility_url=localized_url(statement, request, locales) if statement is not None else "",
        easy_language_url=url_of(EasyLanguagePage),
        search_url=url_of(SearchPage),
        service_index_url=url_of(ServiceIndexPage),
    )


@register.filter
def page_url_here(page: Page, request: Any) -> str:
    """``{{ page|page_url_here:request }}``: the page's address in the active language."""
    return localized_url(page, request)


@register.filter
def content_lang(page: Page, request: HttpRequest | None = None) -> str:
    """``{{ page|content_lang:request }}``: ``lang`` value for an untranslated page shown in another language."""
    return content_language(page, locales_by_id(request)) if isinstance(page, Page) else ""
