"""Filing: a stored draft submitted (web) or an application filed in one request (API), one path for both."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsplatz.infra.formatting import money
from applications import notifications
from applications.deadlines import due_at
from applications.filing_sql import COUNT_UP, insert_filed, reference
from applications.handover import handover_queue
from applications.models import Application, StatusChange
from applications.schema_forms import all_specs, validate_data
from applications.services.base import ApplicationIncomplete, User, VerifiedValueChanged
from applications.services.decisions import queue_auto_decision
from applications.services.drafts import _new_draft, file_counts, trust_level_check
from applications.services.payments import fee_for
from applications.services.transitions import _change
from applications.states import Status
from services_catalog.local.models import LocalService
from tenants.db import current_municipality


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
    if not application.assisted_by_id:
        trust_level_check(application.version.trust_level, application.auth_level)
    if any(application.data.get(key) != value for key, value in application.verified.items()):
        raise VerifiedValueChanged(_("Values confirmed by your eID cannot be changed."))
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
    trust_level_check(application.version.trust_level, "low")  # an API filing proves an address: low
    application.auth_method, application.auth_level = "magic_link", "low"
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
    application.due_at = due_at(application.version.processing_time, application.submitted_at)
    application.idempotency_key = idempotency_key or None
    label = _("filed at the counter") if application.assisted_by_id else ""
    return [
        _change(application, Status.SUBMITTED, actor=actor, actor_label=label),
        _change(application, Status.AWAITING_PAYMENT, comment=_("Fee: %(fee)s") % {"fee": money(application.fee)})
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
