"""Decisions: the automatic decision rule, a caseworker's decision under a row lock, the decision PDF."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import facts
from applications.decision_documents import decision_document_store
from applications.handover import handover_queue
from applications.models import Application, StaffProfile
from applications.services.base import MISSING_SIGNATURE, User, _user
from applications.services.transitions import _check_transition, note, transition
from applications.states import Status
from services_catalog.rules import Decision, decide
from tenants.tasks import enqueue_on_commit


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
