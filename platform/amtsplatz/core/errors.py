"""Error pages of the platform host (404, 500) in the office's look; they need no database."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    # No request context: context processors (session user, settings) could query a broken database.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        body = render_to_string("core/errors/error.html", {"status": status, "LANGUAGE_CODE": language})
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500)
