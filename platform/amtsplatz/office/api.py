"""Office API on the platform host: onboarding by bearer token (``Authorization: Bearer <token>``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.security import HttpBearer

from amtsplatz.infra.api_errors import ApiError, StrictIn
from amtsplatz.office import roles
from amtsplatz.office.models import OnboardingJob
from amtsplatz.office.onboarding import OnboardingInput, api_token_user, onboarding_request
from tenants.models import MunicipalityKind


class OfficeToken(HttpBearer):
    """A token of an office user who may manage municipalities."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None or not user.has_perm(roles.MANAGE):
            return None
        return user


router = Router(auth=OfficeToken(), tags=["office"])


class MunicipalityIn(StrictIn):
    name: str
    slug: str
    ags: str
    state: str = ""
    domains: list[str]
    admin_email: str
    theme: str = ""
    plan: str = ""
    inhabitants: int | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    kind: str = MunicipalityKind.DISTRICT_MUNICIPALITY
    adopt_bundle: bool = True
    legal: dict[str, str] = {}  # facts of the legal pages; without all of them the portal starts not live


class OnboardingOut(Schema):
    id: int
    status: str
    error: str
    municipality: str | None
    status_url: str


def _out(job: OnboardingJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "error": job.error,
        "municipality": job.municipality.slug if job.municipality else None,
        "status_url": reverse("platform-api:office_onboarding_status", kwargs={"job_id": job.pk}),
    }


@router.post("/municipalities", response={202: OnboardingOut, 400: ApiError}, url_name="office_onboard")
def municipality_onboard(request: HttpRequest, payload: MunicipalityIn) -> tuple[int, dict[str, Any]]:
    """Queue the onboarding of a municipality; poll ``status_url`` until it is done or failed."""
    data = OnboardingInput(
        name=payload.name,
        slug=payload.slug,
        ags=payload.ags,
        state=payload.state or payload.ags[:2],
        domains=payload.domains,
        admin_email=payload.admin_email,
        theme=payload.theme,
        plan=payload.plan,
        inhabitants=payload.inhabitants,
        contact={
            key: value
            for key, value in {
                "contact_name": payload.contact_name,
                "contact_email": payload.contact_email,
                "contact_phone": payload.contact_phone,
            }.items()
            if value
        },
        kind=payload.kind,
        adopt_bundle=payload.adopt_bundle,
        legal=payload.legal,
    )
    try:
        job = onboarding_request(data=data, requested_by=request.auth, via="api")  # type: ignore[attr-defined]
    except ValidationError as exc:
        return 400, {
            "detail": "Nothing was created / Es wurde nichts angelegt",
            "errors": exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages},
        }
    return 202, _out(job)


@router.get("/onboarding/{job_id}", response=OnboardingOut, url_name="office_onboarding_status")
def onboarding_status(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """The progress of an onboarding: queued, running, done or failed (with the reason)."""
    return _out(get_object_or_404(OnboardingJob, pk=job_id))
