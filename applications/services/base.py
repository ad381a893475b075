"""What every step of an application's services shares: who acts, the refusals, the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import Application, AuditEntry

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


class TrustLevelTooLow(ValidationError):
    """The citizen's login is below the trust level the service's version needs."""


class VerifiedValueChanged(ValidationError):
    """A value the identity provider confirmed was changed."""


class ApplicationIncomplete(ValidationError):
    """The data does not pass the form schema; ``field_errors`` maps field ids to messages."""

    def __init__(self, field_errors: dict[str, list[str]]) -> None:
        super().__init__(_("Some answers are missing or need correcting."))
        self.field_errors = field_errors


def _user(actor: User) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def audit(application: Application, user: User, action: str, detail: str = "") -> None:
    AuditEntry.objects.create(application=application, user=_user(user), action=action, detail=detail[:200])


def staff_name(user: Any) -> str:
    """How a staff member is named in confirmations: full name, else the login name."""
    if user is None:
        return _("nobody")
    return str(user.get_full_name() or user.get_username())
