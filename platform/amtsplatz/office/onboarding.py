"""Onboarding a municipality: validate at once, then create it in a Celery task with a visible state.

The creation itself is ``tenants.services.municipality_create`` (clone-based, all or nothing); this
module adds the steps around it in the same transaction (further domains, inhabitants, plan) and
the invitation e-mail to the first administrator after the commit.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from amtsplatz.office.audit import office_action_record
from amtsplatz.office.models import OfficeAction, OfficeApiToken, OnboardingJob, ServiceBundle
from billing.models import Plan, Subscription
from services_catalog.local.services import services_adopt
from tenants.context import municipality_context
from tenants.hooks import go_live_missing
from tenants.models import Domain, Municipality, MunicipalityKind, SuspensionReason
from tenants.services import OnboardingResult, municipality_create, municipality_validate
from tenants.tasks import enqueue_on_commit
from tenants.validators import validate_domain
from themes import registry
from themes.models import LegalDetails
from themes.selectors import current_branding
from themes.services import LEGAL_FIELDS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OnboardingInput:
    """What the wizard, the CLI and the API ask for."""

    name: str
    slug: str
    ags: str
    state: str
    domains: list[str]
    admin_email: str
    theme: str = ""
    plan: str = ""
    inhabitants: int | None = None
    contact: dict[str, str] = field(default_factory=dict)  # contact_name, contact_email, contact_phone, ...
    kind: str = MunicipalityKind.DISTRICT_MUNICIPALITY
    legal: dict[str, str] = field(default_factory=dict)  # the facts of the legal pages (themes.LegalDetails fields)
    adopt_bundle: bool = True  # adopt the office's recommended services for the state and kind


def _validate(data: OnboardingInput) -> None:
    """Every problem of the input at once, as a ValidationError keyed by field; nothing is written."""
    errors: dict[str, list[str]] = {}
    if not data.domains:
        errors["domains"] = [_("Enter at least one domain.")]
    else:
        try:
            municipality_validate(
                name=data.name, slug=data.slug, domain=data.domains[0], ags=data.ags, state=data.state
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        for extra in data.domains[1:]:
            try:
                validate_domain(extra)
            except ValidationError as exc:
                errors.setdefault("domains", []).extend(exc.messages)
            if Domain.objects.filter(domain=extra).exists() or data.domains.count(extra) > 1:
                errors.setdefault("domains", []).append(
                    _("The domain %(domain)s is already in use.") % {"domain": extra}
                )
    try:
        validate_email(data.admin_email)
    except ValidationError as exc:
        errors["admin_email"] = list(exc.messages)
    if data.theme and data.theme not in registry.themes():
        errors["theme"] = [_("Unknown theme '%(theme)s'.") % {"theme": data.theme}]
    if data.plan and not Plan.objects.filter(key=data.plan, active=True).exists():
        errors["plan"] = [_("Unknown plan '%(plan)s'.") % {"plan": data.plan}]
    if data.kind not in MunicipalityKind.values:
        errors["kind"] = [_("Unknown kind of municipality '%(kind)s'.") % {"kind": data.kind}]
    errors.update(_legal_errors(data.legal))
    if data.inhabitants is not None and data.inhabitants < 0:
        errors["inhabitants"] = [_("The number of inhabitants cannot be negative.")]
    if pending := OnboardingJob.objects.filter(
        status__in=[OnboardingJob.Status.QUEUED, OnboardingJob.Status.RUNNING], params__slug=data.slug
    ).first():
        errors.setdefault("slug", []).append(
            _("An onboarding of %(slug)s is under way already (request %(id)s).")
            % {"slug": data.slug, "id": pending.pk}
        )
    if errors:
        raise ValidationError(errors)


def _legal_errors(legal: dict[str, str]) -> dict[str, list[str]]:
    """The legal facts checked as the model checks them (e-mail, postcode, date, method); empty ones are allowed."""
    unknown = set(legal) - set(LEGAL_FIELDS)
    if unknown:
        return {"legal": [_("Unknown legal details: %(names)s") % {"names": ", ".join(sorted(unknown))}]}
    values: dict[str, object] = {key: value for key, value in legal.items() if value}
    errors: dict[str, list[str]] = {}
    if isinstance(values.get("accessibility_evaluated_on"), str):
        try:
            values["accessibility_evaluated_on"] = date.fromisoformat(str(values["accessibility_evaluated_on"]))
        except ValueError:
            errors["accessibility_evaluated_on"] = [_("Enter a date as YYYY-MM-DD.")]
            del values["accessibility_evaluated_on"]
    try:
        LegalDetails(**values).full_clean(exclude=["site"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    return errors


def bundle_for(*, state: str, kind: str) -> ServiceBundle | None:
    """The recommended bundle of a new municipality: of its state and kind, else of its kind in every state."""
    bundles = {bundle.state: bundle for bundle in ServiceBundle.objects.filter(kind=kind, state__in=[state, ""])}
    return bundles.get(state) or bundles.get("")


def onboarding_request(
    *, data: OnboardingInput, requested_by: AbstractBaseUser | AnonymousUser | None, via: str, queue: bool = True
) -> OnboardingJob:
    """Validate the input and store an onboarding job; with ``queue``, a worker creates it after the commit."""
    _validate(data)
    job = OnboardingJob.objects.create(
        params={**data.__dict__},
        via=via,
        requested_by=requested_by if isinstance(requested_by, User) else None,
    )
    if queue:
        enqueue_on_commit("office.onboard", [job.pk], what=f"the onboarding job {job.pk}")
    return job


def failure_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
        return " ".join(exc.messages)
    return f"{type(exc).__name__}: {exc}"


def onboarding_run(job_id: int) -> OnboardingResult | None:
    """Work off a queued job: create the municipality all or nothing, then invite its administrator.

    Idempotent: a job that is not queued any more is left alone (a redelivered task changes nothing).
    """
    with transaction.atomic():
        job = OnboardingJob.objects.select_for_update().get(pk=job_id)
        if job.status != OnboardingJob.Status.QUEUED:
            return None
        job.status = OnboardingJob.Status.RUNNING
        job.save(update_fields=["status"])
    params: dict[str, Any] = job.params
    try:
        with transaction.atomic():
            result = _create(params)
            office_action_record(
                kind=OfficeAction.Kind.ONBOARD, actor=job.requested_by, municipality=result.municipality, job=job.pk
            )
    except Exception as exc:
        logger.warning("Onboarding %s failed", job.pk, exc_info=True)
        job.status, job.error, job.finished = OnboardingJob.Status.FAILED, failure_reason(exc), timezone.now()
        job.save(update_fields=["status", "error", "finished"])
        office_action_record(
            kind=OfficeAction.Kind.ONBOARD,
            actor=job.requested_by,
            succeeded=False,
            slug=params.get("slug", ""),
            job=job.pk,
            reason=job.error,
        )
        return None
    job.status, job.municipality, job.finished = OnboardingJob.Status.DONE, result.municipality, timezone.now()
    job.invitation_sent = _invite(result)
    job.save(update_fields=["status", "municipality", "finished", "invitation_sent"])
    return result


def _create(params: dict[str, Any]) -> OnboardingResult:
    """Every step of the creation, in the caller's transaction: a failure in any step undoes them all."""
    domains: list[str] = params["domains"]
    appearance = {key: value for key, value in params.get("contact", {}).items() if value}
    if params.get("theme"):
        appearance["theme"] = params["theme"]
    kind = params.get("kind") or MunicipalityKind.DISTRICT_MUNICIPALITY
    result = municipality_create(
        name=params["name"],
        slug=params["slug"],
        domain=domains[0],
        ags=params["ags"],
        state=params["state"],
        admin_email=params["admin_email"],
        kind=kind,
        legal=params.get("legal", {}),
        **appearance,
    )
    municipality = result.municipality
    bundle = bundle_for(state=params["state"], kind=kind) if params.get("adopt_bundle", True) else None
    with schema_context(municipality.schema_name):
        if bundle is not None:
            keys = list(bundle.services.values_list("key", flat=True))
            services_adopt(keys=keys, **_office_of(params.get("contact", {}), params.get("legal", {})))
        missing = go_live_missing()
    if missing:  # not live until the municipality's editors have completed the checklist in /cms/
        municipality.status, municipality.suspended_for = Municipality.Status.SUSPENDED, SuspensionReason.SETUP
        municipality.save(update_fields=["status", "suspended_for"])
    for extra in domains[1:]:
        domain = Domain(domain=extra, tenant=municipality, is_primary=False)
        domain.full_clean()
        domain.save()
    if params.get("inhabitants") is not None:
        municipality.inhabitants = params["inhabitants"]
        municipality.save(update_fields=["inhabitants"])
    if params.get("plan"):
        Subscription.objects.create(municipality=municipality, plan=Plan.objects.get(key=params["plan"]))
    return result


def _office_of(contact: dict[str, str], legal: dict[str, str]) -> dict[str, str]:
    """The responsible office an adopted service shows: the onboarding's contact, else the authority."""
    office = {
        "office_name": contact.get("contact_name") or legal.get("authority_name", ""),
        "office_street": legal.get("street", ""),
        "office_postcode": legal.get("postcode", ""),
        "office_city": legal.get("city", ""),
        "office_phone": contact.get("contact_phone") or legal.get("phone", ""),
        "office_email": contact.get("contact_email") or legal.get("email", ""),
    }
    return {key: value for key, value in office.items() if value}


def _invite(result: OnboardingResult) -> bool:
    """The invitation e-mail with the set-password link (valid PASSWORD_RESET_TIMEOUT, 72 h), in the city's branding."""
    municipality: Municipality = result.municipality
    try:
        with municipality_context(municipality), translation.override(settings.LANGUAGE_CODE):
            branding = current_branding()
            context = {
                "municipality": municipality.name,
                "username": result.admin_username,
                "url": result.set_password_url,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            }
            subject, _sep, body = render_to_string("office/email/invitation.txt", context).strip().partition("\n")
            subject, body = subject.strip(), body.strip() + "\n"
            html = render_to_string(
                "themes/email/message.html",
                {"branding": branding, "subject": subject, "body": body, "language": settings.LANGUAGE_CODE},
            )
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [result.admin_username])
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:  # the municipality exists; the office can send a new link from /cms/ password reset
        logger.warning("Invitation for %s was not sent", municipality.slug, exc_info=True)
        return False
    return True


def api_token_create(*, user: User, name: str) -> str:
    """A new office API token for ``user``; the returned key is shown once and never stored."""
    key = secrets.token_urlsafe(32)
    OfficeApiToken.objects.create(user=user, name=name, key_hash=hashlib.sha256(key.encode()).hexdigest())
    return key


def api_token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens at once; False when there is no such token of theirs."""
    deleted, _details = OfficeApiToken.objects.filter(pk=token_id, user=user).delete()
    return deleted > 0


def api_token_user(key: str) -> User | None:
    """The active office user a token belongs to, or None."""
    token = (
        OfficeApiToken.objects.select_related("user")
        .filter(key_hash=hashlib.sha256(key.encode()).hexdigest(), user__is_active=True, user__is_staff=True)
        .first()
    )
    if token is None:
        return None
    OfficeApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
