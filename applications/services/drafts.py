"""Drafts of online applications: start, authenticate, save a step, attachments."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from amtsplatz.infra.uploads import clean_upload
from applications.models import Application, Attachment
from applications.prefill import field_values
from applications.schema_forms import all_specs, cardinality, step_keys
from applications.services.base import (
    IllegalTransition,
    TrustLevelTooLow,
    UploadRefused,
    User,
    VerifiedValueChanged,
    _user,
)
from citizens.levels import meets, rank
from citizens.trust import Authentication
from services_catalog.local.models import LocalService


def draft_start(
    *,
    service: LocalService,
    email: str,
    applicant: User = None,
    assisted_by: User = None,
    language: str = "de",
    authentication: Authentication | None = None,
    suggestions: dict[str, str] | None = None,
) -> Application:
    """A new draft for an adopted service, filled against the version the municipality offers now.

    ``authentication`` (how the citizen logged in) must reach the version's trust level unless staff file
    at the counter; values its identity provider confirmed prefill the form as verified values.
    ``suggestions`` (semantic key → value, e.g. from the citizen's profile) fill the other fields that ask
    for them; the citizen may change those.
    """
    draft = _new_draft(service=service, email=email, applicant=applicant, assisted_by=assisted_by, language=language)
    if not draft.assisted_by_id:
        _authenticate(draft, authentication or Authentication(method="", level="none"))
        for field_id, value in field_values(draft.version.form_schema or {}, suggestions or {}).items():
            draft.data.setdefault(field_id, value)
    draft.save()
    return draft


def _authenticate(application: Application, authentication: Authentication) -> None:
    """Check the login against the version's trust level; record it and its verified values on the draft."""
    trust_level_check(application.version.trust_level, authentication.level)
    application.auth_method, application.auth_level = authentication.method, authentication.level
    verified = field_values(application.version.form_schema or {}, authentication.attributes)
    application.verified = verified
    application.data.update(verified)


def trust_level_check(required: str, reached: str) -> None:
    """Refuse a login below the trust level a service needs (low is reached by every verified address)."""
    if rank(required) > rank("low") and not meets(reached, required):
        raise TrustLevelTooLow(
            _("This service needs a login with the trust level “%(level)s” (for example with your ID card).")
            % {"level": required}
        )


@transaction.atomic
def draft_authenticate(application: Application, *, authentication: Authentication) -> None:
    """The citizen logged in anew (e.g. with an eID) and came back to this draft: record the new login."""
    if not application.is_draft or application.assisted_by_id:
        return
    _authenticate(application, authentication)
    application.save(update_fields=["auth_method", "auth_level", "verified", "data", "updated"])


def _new_draft(
    *,
    service: LocalService,
    email: str,
    applicant: User = None,
    assisted_by: User = None,
    language: str = "de",
    data: dict[str, Any] | None = None,
) -> Application:
    version = service.offered_version
    if not (service.enabled and service.online_available and version and version.online_application):
        raise ValidationError(_("This service cannot be applied for online here."))
    return Application(
        service=service,
        version=version,
        applicant_email=email.strip().lower(),
        applicant=_user(applicant),
        assisted_by=_user(assisted_by),
        language=language,
        data=data or {},
    )


def _attachments_add(
    application: Application, field_id: str, uploads: list[UploadedFile[bytes]], spec: dict[str, Any], *, staff: bool
) -> list[Attachment]:
    cleaned = [
        clean_upload(upload, accept=spec.get("accept") or [], max_size_mb=float(spec.get("max_size_mb", 10)))
        for upload in uploads
    ]  # all files are checked before any is stored
    stored = []
    for item in cleaned:
        attachment = Attachment(
            application=application,
            field_id=field_id,
            original_name=item.original_name,
            content_type=item.content_type,
            extension=item.extension,
            size=item.size,
            sha256=item.sha256,
            uploaded_by_staff=staff,
        )
        attachment.file.save(f"upload{item.extension}", ContentFile(item.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def file_counts(application: Application) -> dict[str, int]:
    return dict(Counter(application.attachments.values_list("field_id", flat=True)))


@transaction.atomic
def draft_save_step(
    application: Application,
    *,
    group: dict[str, Any],
    answers: dict[str, Any],
    uploads: dict[str, list[UploadedFile[bytes]]],
    step: int,
    staff: bool = False,
) -> None:
    """Keep a valid step's answers and files (plain data of a validated step, ``group`` of the form schema).

    A refused upload raises ``UploadRefused`` naming its field, and nothing of the step is kept.
    """
    if not application.is_draft:
        raise IllegalTransition(_("This application has been submitted and can no longer be changed."))
    specs = {spec["id"]: spec for spec in all_specs(group)}
    for field_id, files in uploads.items():
        if not files:
            continue
        existing = application.attachments.filter(field_id=field_id)
        if len(files) + existing.count() > _max_files(specs[field_id]):
            _files_delete(existing)  # a new upload replaces a single file
        try:
            _attachments_add(application, field_id, files, specs[field_id], staff=staff)
        except ValidationError as error:
            raise UploadRefused(field_id, error) from error
    changed = [key for key, value in application.verified.items() if key in answers and answers[key] != value]
    if changed:
        raise VerifiedValueChanged(_("Values confirmed by your eID cannot be changed."))
    for key in step_keys(group):  # answers of fields hidden by a condition are dropped
        if key not in answers and specs.get(key, {}).get("type") != "file":
            application.data.pop(key, None)
    application.data.update(answers)
    application.step = max(application.step, step + 1)
    application.save(update_fields=["data", "step", "updated"])


def _max_files(spec: dict[str, Any]) -> int:
    _low, high = cardinality(spec)
    return high if high is not None else 1000


def _files_delete(attachments: Any) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)
        attachment.delete()


def attachment_remove(application: Application, attachment_id: int) -> None:
    if not application.is_draft:
        raise IllegalTransition(_("This application has been submitted and can no longer be changed."))
    _files_delete(application.attachments.filter(pk=attachment_id))
