"""Writes of citizen participation, one module per kind of contribution and one for moderation.

Callers use ``from participation import services`` and ``services.<name>``: this package re-exports the public
names of its modules (``__all__``). ``base`` holds what all share; ``moderation`` is imported by none of the others.
"""

from participation.services.base import IMAGE_TYPES, MAX_PHOTO_MB, MAX_PHOTOS, Actor, NotAllowed
from participation.services.consultations import consultation_close, statement_post, statement_support
from participation.services.ideas import idea_answer, idea_propose, idea_support
from participation.services.moderation import (
    EDITABLE_FIELDS,
    content_flag,
    moderation_approve,
    moderation_edit,
    moderation_reject,
    participant_block,
    participant_unblock,
)
from participation.services.participants import participant_create, participant_update
from participation.services.projects import project_join, project_leave, project_plan_save, project_start
from participation.services.reports import (
    GUEST_CONFIRMATION_DAYS,
    guest_report_confirm,
    guest_report_file,
    guest_reports_purge_unconfirmed,
    report_assign,
    report_file,
    report_follow,
    report_transition,
    reports_space,
)

__all__ = [
    "EDITABLE_FIELDS",
    "GUEST_CONFIRMATION_DAYS",
    "IMAGE_TYPES",
    "MAX_PHOTOS",
    "MAX_PHOTO_MB",
    "Actor",
    "NotAllowed",
    "consultation_close",
    "content_flag",
    "guest_report_confirm",
    "guest_report_file",
    "guest_reports_purge_unconfirmed",
    "idea_answer",
    "idea_propose",
    "idea_support",
    "moderation_approve",
    "moderation_edit",
    "moderation_reject",
    "participant_block",
    "participant_create",
    "participant_unblock",
    "participant_update",
    "project_join",
    "project_leave",
    "project_plan_save",
    "project_start",
    "report_assign",
    "report_file",
    "report_follow",
    "report_transition",
    "reports_space",
    "statement_post",
    "statement_support",
]
