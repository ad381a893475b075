"""Writes of online applications: drafts, submission, status changes, payments, decisions."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amtsplatz.uploads import clean_upload
from applications import facts, notifications
from applications.decision_documents import decision_document_store
from applications.filing_sql import COUNT_UP, insert_filed, reference
from applications.handover import handover_queue
from applications.models import (
    Application,
    Attachment,
    AuditEntry,
    Message,
    Payment,
    StaffProfile,
    StatusChange,
)
from applications.payments import get_provider
from applications.schema_forms import all_specs, cardinality, step_keys, validate_data
from applications.states import CLOSED, Status, can_transition
from services_catalog.local.models import LocalService
from services_catalog.rules import Decision, compute_fee, decide
from tenants.db import current_municipality
from tenants.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)
User = AbstractBaseUser | AnonymousUser | None
MISSING_SIGNATURE = gettext_noop(
    "Your signature for decision letters is missing: ask an administrator to enter your name, role and office "
    "under Settings → Signatures."
)


class IllegalTransition(ValidationError):
    """A status change the status machine does not allow."""


class UploadRefused(ValidationError):
    """An upload of a step was refused; ``field_id`` names its field."""

    def __init__(self, field_id: str, error: ValidationError) -> None:
        super().__init__(error.error_list)
        self.field_id = field_id


class ApplicationIncomplete(ValidationError):
    """The data does not pass the form schema; ``field_errors`` maps field ids to messages."""

    def __init__(self, field_errors: dict[str, list[str]]) -> None:
        super().__init__(_("Some answers are missing or need correcting."))
        self.field_errors = field_errors


def _user(actor: User) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def reference_prefix() -> str:
    """The municipality's prefix for reference numbers (setting, else from its short name)."""
    municipality = current_municipality()
    if municipality.reference_prefix:
        return str(municipality.reference_prefix)
    return "".join(ch for ch in municipality.slug.upper() if ch.isalpha())[:3] or "APP"


def _next_reference(year: int) -> str:
    """The next reference number of the year: one statement, the counter row locked until commit."""
    prefix = reference_prefix()
    with connection.cursor() as cursor:
        cursor.execute(COUNT_UP, [prefix, year])
        (number,) = cursor.fetchone()
    return reference(prefix, year, number)


def draft_start(
    *,
    service: LocalService,
    email: str,
    applicant: User = None,
    assisted_by: User = None,
    language: str = "de",
) -> Application:
    """A new draft for an adopted service, filled against the version the municipality offers now."""
    draft = _new_draft(service=service, email=email, applicant=applicant, assisted_by=assisted_by, language=language)
    draft.save()
    return draft


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


def fee_for(application: Application) -> Decimal:
    """The municipality's local fee when it set one, otherwise the version's fee rule."""
    if application.service.fee_amount is not None:
        return application.service.fee_amount
    return compute_fee(application.version.fee_rule, application.data)


def _check_transition(application: Application, target: str) -> None:
    if not can_transition(application.status, target):
        raise IllegalTransition(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(application.status).label, "target": Status(target).label}
        )


def transition(
    application: Application,
    target: str,
    *,
    actor: User = None,
    actor_label: str = "",
    comment: str = "",
    public: bool = True,
    notify: bool = True,
) -> StatusChange:
    """Move an application to ``target`` and write its history; illegal moves are refused.

    The applicant is e-mailed about public changes after commit (``notify=False`` for a step
    that another change follows at once).
    """
    change = _change(application, target, actor=actor, actor_label=actor_label, comment=comment, public=public)
    change.save()
    application.save(update_fields=["status", "updated"])
    if notify:
        notifications.queue("status_changed", change.pk)
    return change


def note(application: Application, comment: str, *, actor: User = None, public: bool = False) -> StatusChange:
    """A history entry without a status change (e.g. "handed to a caseworker")."""
    return StatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=application.status,
        actor=_user(actor),
        comment=comment,
        public=public,
    )


def audit(application: Application, user: User, action: str, detail: str = "") -> None:
    AuditEntry.objects.create(application=application, user=_user(user), action=action, detail=detail[:200])


@transaction.atomic
def application_submit(application: Application, *, actor: User = None, idempotency_key: str = "") -> Application:
    """Submit a stored draft (the web form) once: reference, fee, history; then payment or review.

    A repeated call (double click, replayed request) finds the application submitted and returns it.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("service__desk", "version")
        .get(pk=application.pk)
    )
    if not application.is_draft:
        return application
    schema = application.version.form_schema or {"groups": []}
    files = file_counts(application) if _has_file_fields(schema) else {}
    data = {key: value for key, value in application.data.items() if not isinstance(value, list)}
    _file(application, actor=actor, idempotency_key=idempotency_key, data=data, files=files)
    return application


@transaction.atomic
def application_file(
    *, service: LocalService, email: str, data: dict[str, Any], language: str, idempotency_key: str = ""
) -> tuple[Application, list[StatusChange]]:
    """File an application in one go (the API): created and submitted in one transaction.

    Raises ``ApplicationIncomplete`` for answers the offered version's schema refuses. Returns the
    application and its history. The same idempotency key twice raises IntegrityError in the second
    transaction, which then stores nothing.
    """
    application = _new_draft(service=service, email=email, language=language, data=data)
    history = _file(application, actor=None, idempotency_key=idempotency_key, data=data, files={})
    return application, history


def _has_file_fields(schema: dict[str, Any]) -> bool:
    return any(spec.get("type") == "file" for group in schema["groups"] for spec in all_specs(group))


def _file(
    application: Application,
    *,
    actor: User,
    idempotency_key: str,
    data: dict[str, Any],
    files: dict[str, int],
) -> list[StatusChange]:
    """The one write path of every submission, from the web form and from the API.

    Validates ``data`` against the version's schema, prices the application, numbers it and stores it
    with its history, then queues what follows. A stored draft is updated; a new application (the
    API) is inserted with its history in one statement (ADR 0030). The reference counter's row lock
    is taken as late as possible, just before the application's write.
    """
    schema = application.version.form_schema or {"groups": []}
    clean, errors = validate_data(schema, data, language=application.language, files=files)
    if errors:
        raise ApplicationIncomplete(errors)
    history = _prepare_submission(application, actor=actor, idempotency_key=idempotency_key, clean=clean)
    year = timezone.localdate(application.submitted_at).year
    if application.pk is None:
        insert_filed(application, history, prefix=reference_prefix(), year=year)
    else:
        application.reference = _next_reference(year)
        application.save()
        StatusChange.objects.bulk_create(history)
    _queue_after_submission(application, history)
    return history


def _prepare_submission(
    application: Application, *, actor: User, idempotency_key: str, clean: dict[str, Any]
) -> list[StatusChange]:
    """Price a validated draft and move it (in memory) to payment or review; its unsaved history."""
    application.data = clean
    application.applicant_name = (
        " ".join(filter(None, [clean.get("vorname"), clean.get("nachname")]))[:200]
        or (str(clean.get("name") or "")[:200])
    )
    application.fee = fee_for(application)
    application.submitted_at = timezone.now()
    application.idempotency_key = idempotency_key or None
    label = _("filed at the counter") if application.assisted_by_id else ""
    return [
        _change(application, Status.SUBMITTED, actor=actor, actor_label=label),
        _change(application, Status.AWAITING_PAYMENT, comment=_("Fee: %(fee)s €") % {"fee": application.fee})
        if application.fee > 0
        else _change(application, Status.IN_REVIEW),
    ]


def _queue_after_submission(application: Application, history: list[StatusChange]) -> None:
    """The e-mail, the automatic decision, the hand-over and the office's notice, each sent after commit."""
    notifications.queue("status_changed", history[-1].pk)
    if application.status == Status.IN_REVIEW:
        queue_auto_decision(application)
    handover_queue(application, "submission")
    notifications.queue_new_application(application)


def _change(
    application: Application,
    target: str,
    *,
    actor: User = None,
    actor_label: str = "",
    comment: str = "",
    public: bool = True,
) -> StatusChange:
    """The (unsaved) history entry of a legal move to ``target``, applied to the application in memory."""
    _check_transition(application, target)
    change = StatusChange(
        application=application,
        from_status=application.status,
        to_status=target,
        actor=_user(actor),
        actor_label=actor_label,
        comment=comment,
        public=public,
    )
    application.status = target
    return change


def _enter_review(application: Application, *, comment: str = "") -> None:
    transition(application, Status.IN_REVIEW, comment=comment)
    queue_auto_decision(application)


def queue_auto_decision(application: Application) -> None:
    """After commit, ask a worker to apply the decision rule; a broker outage is left to the sweeper."""
    if not application.version.decision_rule or application.auto_decision_done:
        return
    # A broker outage is left to the sweeper (applications.sweep).
    enqueue_on_commit(
        "applications.auto_decide", [application.pk], what=f"the automatic decision of application {application.pk}"
    )


def auto_decision_due(application: Application) -> bool:
    return (
        application.status == Status.IN_REVIEW
        and not application.auto_decision_done
        and bool(application.version.decision_rule)
        and not application.fee_due
    )


@transaction.atomic
def auto_decide_now(application_id: int) -> str | None:
    """Apply the version's decision rule once; the outcome, or None when nothing was (or is) to do."""
    application = Application.objects.select_for_update().select_related("version").get(pk=application_id)
    if not auto_decision_due(application):
        return None
    result = decide(application.version.decision_rule or {}, application.data)
    application.facts = facts.establish(application)
    application.auto_decision_done = True
    application.save(update_fields=["auto_decision_done", "facts", "updated"])
    reason = result.reason.get(application.language) or result.reason.get("de") or ""
    if result.outcome == "approve" and facts.unverified_reason(application.facts):
        # An automatic approval rests on verified facts only; a missing one hands the case to a person.
        result = Decision("manual", {})
        reason = facts.unverified_reason(application.facts)
    if result.outcome == "manual":
        note(application, _("Handed to a caseworker: %(reason)s") % {"reason": reason} if reason else "")
        application.decision_reasons = reason
        application.save(update_fields=["decision_reasons"])
    else:
        decide_application(application, approve=result.outcome == "approve", reasons=reason, automatic=True)
    return result.outcome


def signature(actor: User) -> StaffProfile | None:
    """How ``actor`` signs decision letters; None when no name and office are on record."""
    user = _user(actor)
    if user is None:
        return None
    return StaffProfile.objects.filter(user=user).exclude(display_name="").exclude(office="").first()


@transaction.atomic
def decide_application(
    application: Application, *, approve: bool, reasons: str, actor: User = None, automatic: bool = False
) -> Application:
    """Approve or reject in one transaction, under a row lock; the decided application is returned.

    A second decision at the same moment waits for the lock and is then refused (the status moved on),
    so there is one history entry and one document. The PDF is rendered after commit by a task
    (``decision_document_render``); the citizen is told about the status change after commit.
    """
    application = Application.objects.select_for_update().select_related("version").get(pk=application.pk)
    if application.fee_due and approve:
        raise ValidationError(_("The fee has not been paid yet; record the payment before approving."))
    if not automatic and signature(actor) is None:
        raise ValidationError(_(MISSING_SIGNATURE))
    target = Status.APPROVED if approve else Status.REJECTED
    _check_transition(application, target)
    application.decision_reasons = reasons
    application.decided_at = timezone.now()
    application.decided_by = _user(actor)
    application.save(update_fields=["decision_reasons", "decided_at", "decided_by"])
    label = _("automatic decision") if automatic else ""
    transition(application, target, actor=actor, actor_label=label, comment=reasons)
    handover_queue(application, "decision")
    enqueue_on_commit(
        "applications.render_decision_document",
        [application.pk],
        what=f"the decision document of application {application.pk}",
        fallback=lambda: decision_document_render(application.pk),
    )
    return application


@transaction.atomic
def decision_document_render(application_id: int) -> bool:
    """Render and store the decision PDF once; False when there is nothing (more) to render."""
    application = Application.objects.select_for_update().select_related("version", "service").get(pk=application_id)
    if application.decision_document or application.status not in (Status.APPROVED, Status.REJECTED):
        return False
    decision_document_store(application, application.status)
    application.save(update_fields=["decision_document"])
    return True


@transaction.atomic
def payment_start(application: Application, *, return_url: str, cancel_url: str) -> str | None:
    """Start paying the fee with the municipality's provider; where to send the citizen (or None)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.AWAITING_PAYMENT:
        raise IllegalTransition(_("This application is not waiting for a payment."))
    provider = get_provider(current_municipality().payment_provider)
    # Paying again (a second click, the back button) resumes the open attempt: one fee, one charge.
    payment = application.payments.filter(
        provider=provider.key, status=Payment.State.PENDING, amount=application.fee
    ).first() or Payment.objects.create(application=application, provider=provider.key, amount=application.fee)
    if not provider.online:
        payment.status = Payment.State.ON_SITE
        payment.save(update_fields=["status"])
        _enter_review(application, comment=_("The fee is paid on site."))
        return None
    return provider.start(payment, return_url=return_url, cancel_url=cancel_url)


@transaction.atomic
def payment_confirm(payment: Payment, *, provider_reference: str = "", actor: User = None) -> bool:
    """Mark a payment paid and move its application on; False when it was paid already (replay)."""
    payment = Payment.objects.select_for_update().select_related("application").get(pk=payment.pk)
    if payment.status == Payment.State.PAID:
        return False
    if payment.status not in (Payment.State.PENDING, Payment.State.ON_SITE):
        raise ValidationError(_("This payment was cancelled or refunded and cannot be confirmed."))
    payment.status = Payment.State.PAID
    payment.provider_reference = provider_reference or payment.provider_reference
    payment.confirmed_at = timezone.now()
    payment.save(update_fields=["status", "provider_reference", "confirmed_at"])
    application = Application.objects.select_for_update().select_related("version").get(pk=payment.application_id)
    if application.status == Status.AWAITING_PAYMENT:
        _enter_review(application, comment=_("Fee paid."))
    else:
        note(application, _("Fee paid."), actor=actor, public=True)
        queue_auto_decision(application)
    return True


@transaction.atomic
def payment_record_on_site(application: Application, *, actor: User) -> None:
    """A caseworker records that the fee was paid at the counter."""
    payment = application.payments.filter(status=Payment.State.ON_SITE).first()
    if payment is None:
        payment = Payment.objects.create(
            application=application, provider="onsite", amount=application.fee, status=Payment.State.ON_SITE
        )
    payment_confirm(payment, actor=actor)


@transaction.atomic
def application_withdraw(application: Application, *, actor: User = None, comment: str = "") -> None:
    """The citizen withdraws before a decision; paid fees are refunded through their provider."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    transition(application, Status.WITHDRAWN, actor=actor, comment=comment)
    for payment in application.payments.select_for_update().filter(status=Payment.State.PAID):
        get_provider(payment.provider).refund(payment)
        payment.status = Payment.State.REFUNDED
        payment.save(update_fields=["status"])
    application.payments.filter(status__in=[Payment.State.PENDING, Payment.State.ON_SITE]).update(
        status=Payment.State.CANCELLED
    )


@transaction.atomic
def information_request(application: Application, *, actor: User, text: str) -> None:
    """Ask the citizen for more information; they answer on the status page."""
    if not text.strip():
        raise ValidationError(_("Please write what information is needed."))
    Message.objects.create(application=application, from_office=True, author=_user(actor), text=text.strip())
    transition(application, Status.NEEDS_INFORMATION, actor=actor, comment=text.strip())


@transaction.atomic
def information_answer(application: Application, *, text: str, files: list[UploadedFile[bytes]]) -> None:
    """The citizen's answer: text and optional files; the application goes back to review."""
    if not text.strip() and not files:
        raise ValidationError(_("Please write an answer or attach a file."))
    if application.status != Status.NEEDS_INFORMATION:
        raise IllegalTransition(_("No information has been requested for this application."))
    spec = {"accept": ["application/pdf", "image/jpeg", "image/png"], "max_size_mb": 10}
    _attachments_add(application, "_answer", files, spec, staff=False)
    Message.objects.create(application=application, from_office=False, text=text.strip())
    transition(application, Status.IN_REVIEW, comment=_("The applicant answered."))


def application_assign(application: Application, *, assignee: Any, actor: User) -> None:
    application.assignee = assignee
    application.save(update_fields=["assignee", "updated"])
    audit(application, actor, "assign", assignee.get_username() if assignee else "")


def applications_purge_expired(*, now: Any = None) -> int:
    """Anonymise closed applications past their service's retention period; their files are deleted."""
    now = now or timezone.now()
    count = 0
    closed = Application.objects.filter(status__in=CLOSED, anonymised_at__isnull=True).select_related("version")
    for application in closed.iterator():
        closed_at = application.decided_at or application.updated
        if closed_at + timedelta(days=application.version.retention_days) > now:
            continue
        with transaction.atomic():
            _files_delete(application.attachments.all())
            if application.decision_document:
                application.decision_document.delete(save=False)
            application.data = {}
            application.facts = {}
            application.applicant_email = "anonymised@invalid"
            application.applicant_name = ""
            application.applicant = None
            application.decision_reasons = ""
            application.anonymised_at = now
            application.save()
            application.messages.update(text="—")
            application.history.update(comment="")
        count += 1
    return count
