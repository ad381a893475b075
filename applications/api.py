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
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from applications import notifications, selectors, services
from applications.models import Application, StatusChange
from citizens import notifications as citizen_notifications
from citizens.identity import email_from_token, email_token

router = Router(tags=["applications"])


class VerificationIn(Schema):
    email: str = Field(..., max_length=254, examples=["erika@example.org"])
    language: str = Field("de", pattern="^(de|en)$")


class ApplicationIn(Schema):
    service: str = Field(
        ..., max_length=80, description="Catalogue key of an adopted service", examples=["bewohnerparkausweis"]
    )
    data: dict[str, Any] = Field(..., description="Form values by field id, as the service's form schema defines them")
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


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _accepted_language(request: HttpRequest) -> str:
    """German unless the client's Accept-Language prefers English (API paths carry no language prefix)."""
    return "en" if translation.get_language_from_request(request).startswith("en") else "de"


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


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
    "/email-verifications", response={202: dict[str, str], 422: ErrorOut}, summary="Send a citizen token by e-mail"
)
def verification_send(request: HttpRequest, payload: VerificationIn) -> tuple[int, Any]:
    from django.core.validators import validate_email

    try:
        validate_email(payload.email)
    except ValidationError:
        return 422, ErrorOut(detail=_("Please enter a valid e-mail address."), errors={"email": [_("invalid")]})
    token = email_token(payload.email)
    link = notifications.absolute(reverse("applications:verify", kwargs={"token": token}))
    citizen_notifications.magic_link(
        email=payload.email, link=f"{link}\n\nToken: {token}", purpose="verify", language=payload.language
    )
    return 202, {"detail": _("We sent a link and a token to this address.")}


@router.post(
    "/applications",
    response={200: ApplicationOut, 201: ApplicationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="File an application (idempotent with the Idempotency-Key header)",
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> tuple[int, Any]:
    email = email_from_token(_bearer(request))
    if email is None:
        raise HttpError(401, _("Send the citizen token from the e-mail verification as 'Authorization: Bearer …'."))
    key = request.headers.get("Idempotency-Key", "")[:100]
    service = selectors.service_for_application(payload.service)
    language = payload.language or _accepted_language(request)
    try:
        with translation.override(language):
            application, history = services.application_file(
                service=service, email=email, data=payload.data, language=language, idempotency_key=key
            )
    except services.ApplicationIncomplete as incomplete:
        return 422, ErrorOut(detail=incomplete.messages[0], errors=incomplete.field_errors)
    except ValidationError as error:  # the service cannot be applied for online (any more)
        return 409, ErrorOut(detail=" ".join(error.messages))
    except IntegrityError:
        if not key:
            raise
        # The key was used before (a replayed request, or a parallel one): its transaction stored nothing.
        existing = Application.objects.select_related("service__definition").get(idempotency_key=key)
        if existing.applicant_email != email:
            return 409, ErrorOut(detail=_("This idempotency key was used for another application."))
        return 200, _out(existing)
    return 201, _out(application, history)


@router.get(
    "/applications/{reference}",
    response={200: ApplicationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Status and history of one application",
)
def application_read(request: HttpRequest, reference: str) -> tuple[int, Any]:
    token = _bearer(request)
    application = (
        Application.objects.select_related("service__definition")
        .filter(reference=reference, anonymised_at__isnull=True)
        .first()
    )
    if not token:
        raise HttpError(
            401, _("Send the application's access token or your citizen token as 'Authorization: Bearer …'.")
        )
    if application is None or not (
        application.access_token == token or email_from_token(token) == application.applicant_email
    ):
        return 404, ErrorOut(detail=_("No application with this reference for this token."))
    return 200, _out(application)
