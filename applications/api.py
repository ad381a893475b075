"""Applications API on a municipality's host: verify an address, file, read the status.

Filing needs the citizen's token (``Authorization: Bearer …``) that the e-mail verification sends;
reading an application needs that token or the application's own access token.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema
from ninja.security import HttpBearer
from pydantic.json_schema import JsonDict, JsonValue

from amtsplatz.infra.api_errors import ApiError, StrictIn
from applications import notifications, selectors, services
from applications.models import Application, StatusChange
from citizens import notifications as citizen_notifications
from citizens.identity import email_from_token, email_token

router = Router(tags=["applications"])
# What a form field's value can be: text, number, yes/no, empty, a list (several choices, or the entries of a
# repeated group: objects of such values). Numbers within 64 bits: larger ones are refused at the edge (400).
_NUMBER: JsonDict = {"type": "number", "minimum": -(2**63 - 1), "maximum": 2**63 - 1}
_SCALARS: list[JsonValue] = [{"type": "string"}, {"type": "boolean"}, {"type": "null"}, _NUMBER]
_FLAT: list[JsonValue] = [*_SCALARS, {"type": "array", "items": {"anyOf": _SCALARS}}]
FORM_VALUE: JsonDict = {
    "anyOf": [*_FLAT, {"type": "array", "items": {"type": "object", "additionalProperties": {"anyOf": _FLAT}}}]
}


class CitizenToken(HttpBearer):
    """The citizen token that ``POST /email-verifications`` sends by e-mail (valid on this municipality's host)."""

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        return email_from_token(token)


class ReadToken(HttpBearer):
    """The application's own access token or the applicant's citizen token; which one the view checks."""

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        return token or None


class VerificationIn(StrictIn):
    email: str = Field(..., max_length=254, examples=["erika@example.org"])
    language: str = Field("de", pattern="^(de|en)$")


class ApplicationIn(StrictIn):
    service: str = Field(
        ..., max_length=80, description="Catalogue key of an adopted service", examples=["bewohnerparkausweis"]
    )
    data: dict[str, Any] = Field(
        ...,
        description=(
            "Form values by field id: a free-form object whose fields differ per service. They are described by "
            "`form_schema` of the service, `GET /api/v1/services/{service}` on this host (groups of fields with id, "
            "type, required, choices and conditions); values that do not fit it are answered with 422 and the "
            "messages per field in `errors` (e.g. `data.plz`)."
        ),
        examples=[{"vorname": "Erika", "nachname": "Mustermann", "plz": "07545"}],
        json_schema_extra={"additionalProperties": FORM_VALUE},
    )
    language: str | None = Field(None, pattern="^(de|en)$", description="Default: the Accept-Language header")


class HistoryOut(Schema):
    at: datetime
    status: str
    comment: str


class ApplicationOut(Schema):
    reference: str
    service: str
    status: str
    fee: Decimal
    submitted_at: datetime | None
    status_url: str
    access_token: str
    decision_document_url: str | None
    history: list[HistoryOut]


class SentOut(Schema):
    detail: str


def _accepted_language(request: HttpRequest) -> str:
    """German unless the client's Accept-Language prefers English (API paths carry no language prefix)."""
    return "en" if translation.get_language_from_request(request).startswith("en") else "de"


def _out(application: Application, history: list[StatusChange] | None = None) -> ApplicationOut:
    """The API view of an application; ``history`` when the caller has it at hand (else it is read)."""
    document = None
    if application.decision_document:
        document = notifications.absolute(reverse("applications:document", kwargs={"token": application.access_token}))
    return ApplicationOut(
        reference=application.reference or "",
        service=application.service.definition.key,
        status=application.status,
        fee=application.fee,
        submitted_at=application.submitted_at,
        status_url=notifications.status_url(application),
        access_token=application.access_token,
        decision_document_url=document,
        history=[
            HistoryOut(at=change.created, status=change.to_status, comment=change.comment)
            for change in (application.history.filter(public=True) if history is None else history)
            if change.public
        ],
    )


@router.post(
    "/email-verifications",
    response={202: SentOut, 422: ApiError, 429: ApiError},
    summary="Send a citizen token by e-mail",
    description="The same answer for every address; 429 when an address or a client asked too often this hour.",
)
def verification_send(request: HttpRequest, payload: VerificationIn) -> tuple[int, Any]:
    from django.core.validators import validate_email

    try:
        validate_email(payload.email)
    except ValidationError:
        return 422, ApiError(detail=_("Please enter a valid e-mail address."), errors={"email": [_("invalid")]})
    token = email_token(payload.email)
    link = notifications.absolute(reverse("applications:verify", kwargs={"token": token}))
    citizen_notifications.magic_link(
        email=payload.email, link=f"{link}\n\nToken: {token}", purpose="verify", language=payload.language
    )
    return 202, SentOut(detail=_("We sent a link and a token to this address."))


@router.post(
    "/applications",
    response={
        200: ApplicationOut,
        201: ApplicationOut,
        401: ApiError,
        403: ApiError,
        404: ApiError,
        409: ApiError,
        422: ApiError,
    },
    summary="File an application (idempotent with the Idempotency-Key header)",
    description=(
        "201: filed; 200: the same Idempotency-Key was used before by this citizen (the stored application); "
        "404: the service is not offered here; 409: the service takes no online applications (any more), or the "
        "key belongs to another citizen's application; 422: `data` does not fit the service's form."
    ),
    auth=CitizenToken(),
)
def application_create(
    request: HttpRequest,
    payload: ApplicationIn,
    idempotency_key: str = Header(
        "", alias="Idempotency-Key", description="Repeat a filing safely with the same key (first 100 characters)"
    ),
) -> tuple[int, Any]:
    email: str = request.auth  # type: ignore[attr-defined]
    key = idempotency_key[:100]
    service = selectors.service_for_application(payload.service)
    language = payload.language or _accepted_language(request)
    try:
        with translation.override(language):
            application, history = services.application_file(
                service=service, email=email, data=payload.data, language=language, idempotency_key=key
            )
    except services.ApplicationIncomplete as incomplete:
        return 422, ApiError(detail=incomplete.messages[0], errors=incomplete.field_errors)
    except services.TrustLevelTooLow as error:  # a token proves an address (low): eID services need the portal
        return 403, ApiError(detail=" ".join(error.messages))
    except ValidationError as error:  # the service cannot be applied for online (any more)
        return 409, ApiError(detail=" ".join(error.messages))
    except IntegrityError:
        if not key:
            raise
        # The key was used before (a replayed request, or a parallel one): its transaction stored nothing.
        existing = Application.objects.select_related("service__definition").get(idempotency_key=key)
        if existing.applicant_email != email:
            return 409, ApiError(detail=_("This idempotency key was used for another application."))
        return 200, _out(existing)
    return 201, _out(application, history)


@router.get(
    "/applications/{reference}",
    response={200: ApplicationOut, 401: ApiError, 404: ApiError},
    summary="Status and history of one application",
    description="With the application's access token or the applicant's citizen token; 404 for any other token.",
    auth=ReadToken(),
)
def application_read(request: HttpRequest, reference: str) -> tuple[int, Any]:
    token: str = request.auth  # type: ignore[attr-defined]
    application = (
        Application.objects.select_related("service__definition")
        .filter(reference=reference, anonymised_at__isnull=True)
        .first()
    )
    if application is None or not (
        application.access_token == token or email_from_token(token) == application.applicant_email
    ):
        return 404, ApiError(detail=_("No application with this reference for this token."))
    return 200, _out(application)
