"""Participation profiles of citizen accounts: pseudonym, real name, language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from participation.models import Participant
from participation.services.base import NotAllowed


def participant_create(*, user: Any, pseudonym: str, real_name: str = "", language: str = "de") -> Participant:
    """Add the participation profile to a citizen account (one per account)."""
    if user.is_staff:
        raise NotAllowed(_("Staff accounts cannot take part as citizens."))
    taken = ValidationError({"pseudonym": _("This pseudonym is taken. Please choose another one.")})
    if Participant.objects.filter(pseudonym__iexact=pseudonym.strip()).exists():
        raise taken
    try:
        with transaction.atomic():
            return Participant.objects.create(
                user=user, pseudonym=pseudonym.strip(), real_name=real_name.strip(), language=language
            )
    except IntegrityError as error:  # the same pseudonym, chosen at the same moment
        raise taken from error


def participant_update(*, participant: Participant, pseudonym: str, real_name: str, language: str) -> Participant:
    taken = Participant.objects.filter(pseudonym__iexact=pseudonym.strip()).exclude(pk=participant.pk)
    if taken.exists():
        raise ValidationError({"pseudonym": _("This pseudonym is taken. Please choose another one.")})
    participant.pseudonym, participant.real_name, participant.language = pseudonym.strip(), real_name.strip(), language
    participant.save(update_fields=["pseudonym", "real_name", "language"])
    return participant
