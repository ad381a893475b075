"""Full-page cache for anonymous visitors of the portals (docs/decisions/0007-anonymous-page-cache.md).

Entries live in Django's "default" cache, whose key function prefixes every key with the schema
of the connection, so each municipality has its own key space. Within it, each entry records the
municipality's *generation* it was stored under; purging bumps the generation, which invalidates
every entry of that municipality at once (they are overwritten or expire by their timeout). A lookup
reads the generation and the entry in one round trip (MGET). Nothing ever clears the whole backend.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_tenants.utils import get_public_schema_name, schema_context

from amtsplatz.infra.cache import CacheUnavailable
from amtsplatz.infra.security.csp import nonce_renewed, nonce_used
from tenants.db import current_schema
from tenants.models import Municipality

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"
ENTRY_KEY = "page-cache:entry:{digest}"
# Everything personal, interactive or served by other means; also below a language prefix (/en/antraege/).
EXCLUDED_PREFIXES = (
    "/cms/",
    "/antraege/",
    "/beteiligung/",
    "/konto/",
    "/api/",
    "/documents/",
    "/media/",
    "/i18n/",
    "/healthz",
    "/static/",
    "/_util/",
)
# Recomputed or answered by this module rather than replayed from the entry.
UNSTORED_HEADERS = frozenset({"content-length", "set-cookie", "x-page-cache"})
UNCACHEABLE_CACHE_CONTROL = frozenset({"private", "no-store", "no-cache"})
# A response may vary only on what the key holds (the active language).
KEYED_VARY_HEADERS = frozenset({"accept-language"})
ALL_MUNICIPALITIES = "*"
_COMMA = re.compile(r"\s*,\s*")


def page_cache_seconds() -> int:
    """How long an entry lives; 0 switches the page cache off."""
    return max(int(getattr(settings, "AMTSPLATZ_PAGE_CACHE_SECONDS", 0)), 0)


class AnonymousPageCacheMiddleware:
    """Answer anonymous GETs of portal pages from the cache; store cacheable 200 responses.

    Sits right after ``LocaleMiddleware``: the schema and the language are known, the session is
    not loaded. A hit touches neither the database nor the session. Responses carry
    ``X-Page-Cache: hit`` or ``miss``; requests that may not be cached carry no such header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = page_cache_seconds()
        if not seconds or not _request_cacheable(request):
            return self.get_response(request)
        key = ENTRY_KEY.format(digest=_digest(request))
        generation, entry = _lookup(key)
        if entry is not None and generation is not None and entry.get("generation") == generation:
            return _replay(entry, request)
        response = self.get_response(request)
        response["X-Page-Cache"] = "miss"
        if generation is not None and request.method == "GET" and _response_cacheable(request, response):
            assert isinstance(response, HttpResponse)  # not streaming
            _cache_call(cache.set, key, _entry(request, response, generation), seconds)
        return response


def _request_cacheable(request: HttpRequest) -> bool:
    """Anonymous, cookie-less (as far as sessions and messages go) GET/HEAD of a portal page."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if not isinstance(getattr(request, "tenant", None), Municipality):
        return False  # the platform host (public schema) is never cached
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not _path_excluded(request.path_info)


def _path_excluded(path: str) -> bool:
    language = translation.get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        path = path[len(language) + 1 :]
    return path.startswith(EXCLUDED_PREFIXES)


def _response_cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A complete 200 for anybody: no cookies, no CSRF token, no user, no messages, no private directive."""
    if response.status_code != 200 or response.streaming or not isinstance(response, HttpResponse):
        return False
    if response.cookies:
        return False
    cache_control = {part.split("=", 1)[0].strip().lower() for part in _COMMA.split(response.get("Cache-Control", ""))}
    if cache_control & UNCACHEABLE_CACHE_CONTROL:
        return False
    vary = {part.strip().lower() for part in _COMMA.split(response.get("Vary", "")) if part.strip()}
    if vary - KEYED_VARY_HEADERS:
        return False  # e.g. "Cookie" from the CSRF middleware (the page holds a form): the key cannot tell
    meta = request.META
    if meta.get("CSRF_COOKIE_NEEDS_UPDATE") or meta.get("CSRF_COOKIE_USED"):
        return False
    if "CSRF_COOKIE" in meta and settings.CSRF_COOKIE_NAME not in request.COOKIES:
        return False  # get_token() made a token for this visitor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))


def _digest(request: HttpRequest) -> str:
    """Host, language and path of the request, hashed."""
    parts = "\n".join([request.get_host(), translation.get_language() or "", request.path])
    return hashlib.sha256(parts.encode()).hexdigest()


def _lookup(key: str) -> tuple[int | None, dict[str, Any] | None]:
    """The municipality's current generation and the entry under ``key``, in one round trip (None: no cache)."""
    found = _cache_call(cache.get_many, [GENERATION_KEY, key])
    if found is None:
        return None, None
    if GENERATION_KEY not in found:
        return _generation(), None  # a new generation: whatever is stored predates it
    return int(found[GENERATION_KEY]), found.get(key)


def _generation() -> int | None:
    generation = _cache_call(cache.get, GENERATION_KEY)
    if generation is None:
        _cache_call(cache.add, GENERATION_KEY, _generation_seed(), None)
        generation = _cache_call(cache.get, GENERATION_KEY)
    return None if generation is None else int(generation)


def _generation_seed() -> int:
    """A start value that never repeats a lost generation (microseconds since the epoch)."""
    return time.time_ns() // 1000


def _entry(request: HttpRequest, response: HttpResponse, generation: int) -> dict[str, Any]:
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
    # The page's Content-Security-Policy nonce: each replay gets a fresh one in its place.
    nonce = nonce_used(request)
    return {"generation": generation, "content": response.content, "headers": headers, "nonce": nonce}


def _replay(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    response = HttpResponse(nonce_renewed(entry["content"], entry.get("nonce"), request))
    for name, value in entry["headers"]:
        response[name] = value
    response["Content-Length"] = str(len(response.content))
    # As on the miss: the page differs for visitors with a session, which this cache never answers.
    patch_vary_headers(response, ("Cookie",))
    response["X-Page-Cache"] = "hit"
    return response


def _cache_call(method: Callable[..., Any], *args: Any) -> Any:
    """A cache call that logs instead of failing the page when the cache is unreachable."""
    try:
        return method(*args)
    except CacheUnavailable:  # Redis away (logged once by amtsplatz.infra.cache): serve uncached
        return None
    except Exception:
        logger.warning("Page cache unavailable; serving uncached.", exc_info=True)
        return None


# --- Purging ------------------------------------------------------------------------------------


def page_cache_purge(schema: str | None = None) -> None:
    """Drop every cached page of one municipality (default: the current schema's).

    Takes effect when the current transaction commits (at once outside a transaction), so no
    request can re-cache the old content in between. Other municipalities' entries stay.
    """
    schema = schema or current_schema()
    if schema != get_public_schema_name():
        _purge_on_commit(schema)


def page_cache_purge_all() -> None:
    """Drop the cached pages of every municipality (a shared catalogue publication reaches them all)."""
    _purge_on_commit(ALL_MUNICIPALITIES)


def _purge_on_commit(target: str) -> None:
    """Queue one purge of ``target`` per transaction, however many changes ask for it."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = {getattr(entry[1], "page_cache_target", None) for entry in connection.run_on_commit}
        if target in pending or ALL_MUNICIPALITIES in pending:
            return

    def purge() -> None:
        _purge(target)

    purge.page_cache_target = target  # type: ignore[attr-defined]
    transaction.on_commit(purge)


def _purge(target: str) -> None:
    if target == ALL_MUNICIPALITIES:
        from tenants.selectors import municipality_list

        schemas = list(municipality_list().values_list("schema_name", flat=True))
    else:
        schemas = [target]
    for schema in schemas:
        try:
            _generation_bump(schema)
        except Exception:
            # Entries still expire by their timeout; a failed purge must not fail the editor's request.
            logger.exception("Page cache of schema %s could not be purged.", schema)


def _generation_bump(schema: str) -> None:
    """Move ``schema`` to a new generation; its key gets the schema prefix from django-tenants' make_key."""
    with schema_context(schema):
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet (or evicted): start one, then move past it
            cache.add(GENERATION_KEY, _generation_seed(), None)
            cache.incr(GENERATION_KEY)
