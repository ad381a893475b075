"""The one error body of both JSON APIs: ``{"detail": "<German> / <English>", "errors": {field: [messages]}}``.

Every 4xx answer of ``/api/v1/`` has this shape, whoever produced it: a view (``ApiError`` in its ``response``
map), django-ninja's request validation (422), authentication (401), an unreadable body (400), the edge
validation middleware (400/404, :mod:`amtsplatz.infra.security.edge`) or a rate limit (429). ``errors`` names the
fields by their path in the request (``email``, ``data.plz``, ``offset``); it is empty when no single field is
to blame. ADR 0074.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import ConfigDict

# Where django-ninja puts a parameter: the first element of a validation error's ``loc``.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
INVALID = gettext_noop("Some input is missing or invalid; the errors name the fields.")
UNREADABLE = gettext_noop("The request body cannot be read: send JSON with Content-Type: application/json.")
UNAUTHENTICATED = gettext_noop(
    "Authentication required: send your token as 'Authorization: Bearer …' (citizens: the token from the e-mail "
    "verification)."
)
NOT_FOUND = gettext_noop("Not found.")
# What each status means on every operation that can answer it (an operation may document its own reasons).
COMMON_RESPONSES = {
    "400": "Bad request: an unreadable body, or a NUL character, a lone surrogate or a number beyond 64 bits in a "
    "parameter or the JSON body (checked at the edge for every request).",
    "401": "Missing or invalid token.",
    "404": "Not found (or a path no object can have).",
    "422": "Parameters or body do not match this description; `errors` names the fields.",
}


class StrictIn(Schema):
    """A request body that refuses fields it does not describe (422 naming them) instead of ignoring them."""

    model_config = ConfigDict(extra="forbid")


class ApiError(Schema):
    """An error: a message in German and English, and the messages per field when fields are to blame."""

    detail: str = Field(..., description="What went wrong, in German and English (German first).")
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Messages per field, by the field's path in the request (e.g. `email`, `data.plz`); "
        "empty when no single field is to blame.",
    )


def bilingual(message: str) -> str:
    """``message`` (a msgid marked for translation) in German and English, German first."""
    with translation.override("de"):
        german = gettext(message)
    with translation.override("en"):
        english = gettext(message)
    return german if german == english else f"{german} / {english}"


def error_body(detail: str, errors: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """The JSON body of an error answer."""
    return {"detail": detail, "errors": dict(errors or {})}


def field_errors(validation_errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """django-ninja's validation errors (``loc``, ``msg``) as messages per field path.

    ``loc`` starts with the location (``body``, ``query`` …) and, for a body, the view's parameter name
    (``payload``): both are dropped, so a client reads ``email``, ``data.plz`` or ``offset``.
    """
    fields: dict[str, list[str]] = {}
    for error in validation_errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] == "body" and len(location) > 2:
            location = location[2:]
        elif location and location[0] in _LOCATIONS:
            location = location[1:]
        fields.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    return fields


def install_handlers(api: NinjaAPI) -> None:
    """Make every error django-ninja answers by itself (404, 401, 400, 422) an :class:`ApiError`."""

    def respond(
        request: HttpRequest, status: int, detail: str, errors: Mapping[str, list[str]] | None = None
    ) -> HttpResponse:
        return api.create_response(request, error_body(detail, errors), status=status)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # get_object_or_404's message names a model, in English only: the views' own messages are bilingual.
        message = str(exc)
        return respond(request, 404, bilingual(NOT_FOUND) if not message or "given query" in message else message)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, bilingual(UNAUTHENTICATED))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = (
            bilingual(UNREADABLE) if exc.status_code == 400 and exc.message == "Cannot parse request body" else str(exc)
        )
        return respond(request, exc.status_code, detail)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 422, bilingual(INVALID), field_errors(exc.errors))


def complete_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Document on every operation the errors any operation of its kind can answer, with the error body.

    400 everywhere (edge validation, unreadable bodies), 404 where the path has parameters, 422 where there are
    parameters or a body, 401 where a token is required; what an operation declares itself is kept.
    """
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ApiError", ApiError.model_json_schema(ref_template="#/components/schemas/{model}"))
    reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            statuses = {"400"}
            if any(parameter.get("in") == "path" for parameter in parameters):
                statuses.add("404")
            if parameters or "requestBody" in operation:
                statuses.add("422")
            if operation.get("security"):
                statuses.add("401")
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(status, {"description": COMMON_RESPONSES[status], **reference})
    return schema
