"""Consultations: statements, supports, closing with a summary."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Participant, Space, Statement, StatementSupport
from participation.services.base import Actor, NotAllowed, _initial_state, _require_active, _require_open


def statement_post(*, participant: Participant, space: Space, text: str, checked: bool = True) -> Statement:
    """A statement on a consultation; statements have no parent, so there is nothing to reply to."""
    _require_active(participant)
    _require_open(space, Space.Kind.CONSULTATION)
    with transaction.atomic():
        statement = Statement(space=space, author=participant, text=text.strip())
        _initial_state(statement, space, checked=checked)
        statement.save()
    return statement


def statement_support(*, statement: Statement, participant: Participant) -> bool:
    _require_active(participant)
    if not statement.is_public:
        raise NotAllowed(_("Only published statements can be supported."))
    try:
        with transaction.atomic():
            StatementSupport.objects.create(statement=statement, participant=participant)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def consultation_close(*, space: Space, summary: str, actor: Actor) -> Space:
    """Close a consultation and publish its summary."""
    if space.kind != Space.Kind.CONSULTATION:
        raise NotAllowed(_("Only consultations are closed with a summary."))
    if not summary.strip():
        raise ValidationError(_("Please write the summary that will be published."), code="summary")
    space.summary, space.closed_at, space.is_open = summary.strip(), space.closed_at or timezone.now(), False
    space.save(update_fields=["summary", "closed_at", "is_open"])
    return space
