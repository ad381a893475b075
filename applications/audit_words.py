"""The audit log's action codes in words, for caseworkers reading an application's log."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

AUDIT_WORDS: dict[str, Promise] = {
    "view": _("Application viewed"),
    "download": _("File downloaded"),
    "preview": _("Preview opened"),
    "assign": _("Assigned"),
    "assign_me": _("Assigned to oneself"),
    "unassign": _("Assignment removed"),
    "request_information": _("More information requested"),
    "record_payment": _("Payment at the counter recorded"),
    "decide": _("Decided"),
    "note": _("Internal note written"),
}
