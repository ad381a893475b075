"""Writes of online applications, one module per step of an application's life.

Callers use ``from applications import services`` and ``services.<name>``: this package re-exports the public
names of its modules (``__all__``). A module imports only modules before it in this order: base, drafts,
transitions, decisions, payments, filing (retention imports drafts).
"""

from applications.services.base import (
    MISSING_SIGNATURE,
    ApplicationIncomplete,
    IllegalTransition,
    TrustLevelTooLow,
    UploadRefused,
    User,
    VerifiedValueChanged,
    audit,
    staff_name,
)
from applications.services.decisions import (
    auto_decide_now,
    auto_decision_due,
    decide_application,
    decision_document_render,
    queue_auto_decision,
    signature,
)
from applications.services.drafts import (
    attachment_remove,
    draft_authenticate,
    draft_save_step,
    draft_start,
    file_counts,
    trust_level_check,
)
from applications.services.filing import application_file, application_submit, reference_prefix
from applications.services.payments import fee_for, payment_confirm, payment_record_on_site, payment_start
from applications.services.retention import applications_purge_expired
from applications.services.transitions import (
    application_assign,
    application_withdraw,
    applications_assign,
    information_answer,
    information_request,
    note,
    note_add,
    transition,
)

__all__ = [
    "MISSING_SIGNATURE",
    "ApplicationIncomplete",
    "IllegalTransition",
    "TrustLevelTooLow",
    "UploadRefused",
    "User",
    "VerifiedValueChanged",
    "application_assign",
    "application_file",
    "application_submit",
    "application_withdraw",
    "applications_assign",
    "applications_purge_expired",
    "attachment_remove",
    "audit",
    "auto_decide_now",
    "auto_decision_due",
    "decide_application",
    "decision_document_render",
    "draft_authenticate",
    "draft_save_step",
    "draft_start",
    "fee_for",
    "file_counts",
    "information_answer",
    "information_request",
    "note",
    "note_add",
    "payment_confirm",
    "payment_record_on_site",
    "payment_start",
    "queue_auto_decision",
    "reference_prefix",
    "signature",
    "staff_name",
    "transition",
    "trust_level_check",
]
