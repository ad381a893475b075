"""Branded error pages of a portal (404, 500): the municipality's theme, navigation home and search.

The 500 page first tries the full branded page; when that fails too (the database is unreachable, the
transaction is broken) it falls back to a plain page that needs no query: the municipality's name comes
from ``request.tenant``, which the tenant middleware loaded before the failure (or nothing, when it could not).
See docs/decisions/0071-error-pages-and-sitemaps.md.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


def request_language(request: HttpRequest) -> str:
    """The language of the URL prefix (``/en/…``), else the request's (cookie, Accept-Language)."""
    return translation.get_language_from_path(request.path_info) or translation.get_language_from_request(request)


def _plain_context(request: HttpRequest, language: str) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    name = getattr(tenant, "name", "") if getattr(tenant, "schema_name", "public") != "public" else ""
    home = "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
    # The plain page's style block carries the request's nonce (Content-Security-Policy, amtsplatz.infra.security.csp).
    nonce = getattr(request, "csp_nonce", "")
    return {"municipality_name": name, "home_url": home, "LANGUAGE_CODE": language, "csp_nonce": str(nonce)}


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    language = request_language(request)
    with translation.override(language):
        try:
            body = render_to_string(f"cms/errors/{status}.html", {"error_status": status}, request=request)
        except Exception:  # the branded page needs the database; the plain one does not
            logger.warning("branded %s page failed, answering the plain one", status, exc_info=True)
            body = render_to_string("cms/errors/plain.html", {**_plain_context(request, language), "status": status})
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500)
