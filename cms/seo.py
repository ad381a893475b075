"""Findability of a portal: ``robots.txt``, ``sitemap.xml`` (pages and adopted services, both languages with
hreflang alternates) and the meta description of any page. Absolute URLs carry the request's own host, so a
portal's sitemap never names another municipality (docs/decisions/0071-error-pages-and-sitemaps.md).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.models import Page, Site

from cms.selectors import locales_by_id, localized_url
from services_catalog.local.selectors import offered_services

DESCRIPTION_LENGTH = 160
# Not for search engines: the editor, the API, application forms and the citizen's own area.
ROBOTS_DISALLOW = ("/cms/", "/api/", "/antraege/", "/en/antraege/", "/i18n/")


def _path(url: str) -> str:
    """Sitemaps add scheme and host themselves; Wagtail may answer with a full URL."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        site = Site.find_for_request(request)
        self.root: Page | None = site.root_page if site is not None else None


class PageSitemap(_PortalSitemap):
    """Every live, public page of the portal; an untranslated page is listed under /en/ too (shown there)."""

    def items(self) -> list[Page]:
        if self.root is None:
            return []
        return list(self.root.get_descendants(inclusive=True).live().public().order_by("path"))

    def location(self, item: Page) -> str:
        return _path(localized_url(item, self.request, locales_by_id(self.request)))

    def lastmod(self, item: Page) -> Any:
        return item.last_published_at


class ServiceSitemap(_PortalSitemap):
    """The adopted services' detail pages (routes of the service index, not Wagtail pages of their own)."""

    def items(self) -> list[str]:
        if self.root is None or self._index() is None:
            return []
        return [service.key for service in offered_services(language="de")]

    def _index(self) -> Page | None:
        from cms.models import ServiceIndexPage

        assert self.root is not None
        return ServiceIndexPage.objects.descendant_of(self.root).live().public().first()

    def location(self, item: str) -> str:
        index = self._index()
        assert index is not None
        return _path(localized_url(index, self.request, locales_by_id(self.request))) + f"{item}/"


def sitemap(request: HttpRequest) -> HttpResponse:
    sections: dict[str, Sitemap[Any] | type[Sitemap[Any]]] = {
        "pages": PageSitemap(request),
        "services": ServiceSitemap(request),
    }
    response: HttpResponse = sitemap_views.sitemap(request, sitemaps=sections)
    response.render()  # type: ignore[attr-defined]
    return response


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def meta_description(page: Any, service: Any, municipality: str) -> str:
    """The page's search description, else its intro or teaser (a service's teaser), else a default."""
    candidates = [
        getattr(service, "teaser", ""),
        getattr(page, "search_description", ""),
        getattr(page, "intro", ""),
        getattr(page, "teaser", ""),
    ]
    for candidate in candidates:
        text = " ".join(strip_tags(str(candidate or "")).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    if getattr(page, "title", "") and municipality:
        return gettext("%(title)s – online services and information of %(municipality)s.") % {
            "title": page.title,
            "municipality": municipality,
        }
    return gettext("Online services, news and contacts of %(municipality)s.") % {"municipality": municipality}
