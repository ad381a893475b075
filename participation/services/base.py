"""What every participation write shares: who acts, refusals, the initial moderation state, photo checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsplatz.infra.uploads import clean_upload
from participation.models import Contribution, Participant, Space
from participation.states import Moderation

IMAGE_TYPES = ("image/jpeg", "image/png")


MAX_PHOTOS = 3


MAX_PHOTO_MB = 8


Actor = AbstractBaseUser | AnonymousUser | None


C = TypeVar("C", bound=Contribution)


class NotAllowed(ValidationError):
    """The action is not possible now (blocked account, closed space, not a member, …)."""


def _staff(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _require_active(participant: Participant) -> None:
    if participant.is_blocked:
        raise NotAllowed(_("Your account is blocked from participating. Please contact the administration."))


def _require_open(space: Space, kind: str) -> None:
    if space.kind != kind:
        raise NotAllowed(_("This space does not take this kind of contribution."))
    if not space.accepts_contributions:
        raise NotAllowed(_("This space is closed: contributions are no longer possible."))


def _initial_state(contribution: Contribution, space: Space, *, checked: bool) -> None:
    """Published at once only where pre-moderation is off and the anti-spam check was solved."""
    contribution.checked = checked
    if not space.premoderation and checked:
        contribution.moderation = Moderation.PUBLISHED
        contribution.published_at = timezone.now()


def _clean_images(files: Sequence[UploadedFile[bytes]], limit: int) -> list[Any]:
    if len(files) > limit:
        raise ValidationError(
            _("Please attach at most %(limit)s photos."), code="too_many_photos", params={"limit": limit}
        )
    return [clean_upload(upload, accept=IMAGE_TYPES, max_size_mb=MAX_PHOTO_MB) for upload in files]
