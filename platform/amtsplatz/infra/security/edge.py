"""Input validation at the edge: bad bytes never reach a view, the ORM or PostgreSQL.

PostgreSQL refuses NUL characters in text and integers beyond 64 bits; psycopg cannot encode a lone UTF-16
surrogate. Left to the views, each of them surfaced as a 500 somewhere (a search box, a paginator, a filing).
One middleware checks every request once, before any view runs:

* the path: NUL or other control characters, a lone surrogate, or a number too large for any id → 404;
* query parameters and url-encoded form fields: NUL characters, or a whole-number value beyond 64 bits → 400;
* JSON bodies: strings (and keys) with NUL characters or lone surrogates, numbers beyond 64 bits → 400;
* a page number beyond the last page that a view's paginator refuses (Wagtail's admin lets it escape) → 404.

Multipart bodies are left to the forms (Django's form fields refuse NUL characters themselves); parsing
them here would take the upload handling away from the views. Every answer names the problem in German
and English; API paths get the API's error body (``{"detail": …, "errors": {}}``, amtsplatz/infra/api_errors.py),
everything else a short page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import InvalidPage
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.request import RawPostDataException
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

INT64_MAX = 2**63 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
_LONG_NUMBER_SEGMENT = re.compile(r"(?:^|/)(\d{19,})(?:/|$)")


def _text_bad(value: str) -> bool:
    return "\x00" in value or _SURROGATE.search(value) is not None


def _number_bad(value: str) -> bool:
    stripped = value.strip()
    if not _WHOLE_NUMBER.fullmatch(stripped) or len(stripped) < 19:
        return False
    return abs(int(stripped)) > INT64_MAX


def _json_bad(value: Any) -> bool:
    if isinstance(value, str):
        return _text_bad(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return False
    if isinstance(value, int):
        return abs(value) > INT64_MAX
    if isinstance(value, dict):
        return any(_text_bad(str(key)) or _json_bad(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_json_bad(item) for item in value)
    return False


def path_problem(path: str) -> bool:
    """Whether the decoded path can name nothing we have."""
    if _CONTROL.search(path) or _SURROGATE.search(path):
        return True
    return any(int(number) > INT64_MAX for number in _LONG_NUMBER_SEGMENT.findall(path))


def fields_problem(items: Iterable[tuple[str, str]]) -> bool:
    """Whether query or form fields carry NUL characters or whole numbers beyond 64 bits."""
    return any(_text_bad(key) or _text_bad(value) or _number_bad(value) for key, value in items)


def json_problem(body: bytes) -> bool:
    """Whether a JSON body carries what PostgreSQL cannot store (unparseable JSON is the view's business)."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return _json_bad(document)


def _pairs(fields: QueryDict) -> Iterable[tuple[str, str]]:
    return ((key, value) for key, values in fields.lists() for value in values)


def _bilingual(message: Callable[[], str]) -> tuple[str, str]:
    with translation.override("de"):
        german = message()
    with translation.override("en"):
        english = message()
    return german, english


def _path_message() -> str:
    return gettext("This address does not exist. Please check the link or start from the home page.")


def _input_message() -> str:
    return gettext(
        "The request contains characters or numbers we cannot process (for example a NUL character or a number "
        "with too many digits). Please correct the input and send it again."
    )


def refuse(request: HttpRequest, status: int, message: Callable[[], str]) -> HttpResponse:
    """An answer with ``message`` in German and English: JSON for API clients, a short page for people."""
    german, english = _bilingual(message)
    if "/api/" in request.path_info or "json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": f"{german} / {english}", "errors": {}}, status=status)
    page = (
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Amtsplatz</title></head><body>'
        f'<main><p>{escape(german)}</p><p lang="en">{escape(english)}</p></main></body></html>'
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


class EdgeValidationMiddleware:
    """Answers 404/400 with a message for input no view can handle (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if path_problem(request.path_info):
            return refuse(request, 404, _path_message)
        if fields_problem(_pairs(request.GET)) or self._body_problem(request):
            return refuse(request, 400, _input_message)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page number beyond the last page (``?page=…``) is a page that does not exist, not a fault."""
        if isinstance(exception, InvalidPage):
            return refuse(request, 404, _path_message)
        return None

    @staticmethod
    def _body_problem(request: HttpRequest) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        try:
            if content_type == "application/x-www-form-urlencoded":
                return fields_problem(_pairs(request.POST))
            if content_type == "application/json" or content_type.endswith("+json"):
                return json_problem(request.body)
        except RawPostDataException:
            return False
        return False
