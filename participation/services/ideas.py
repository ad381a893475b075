"""Ideas: proposals, supports, the administration's answer."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation import notifications
from participation.models import Idea, IdeaStatusChange, IdeaSupport, Participant, Space, Topic
from participation.services.base import (
    Actor,
    NotAllowed,
    _clean_images,
    _initial_state,
    _require_active,
    _require_open,
    _staff,
)
from participation.states import IDEA_REASON_REQUIRED, IdeaStatus, idea_can_transition


@transaction.atomic
def idea_propose(
    *,
    participant: Participant,
    space: Space,
    title: str,
    text: str,
    topic: Topic | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    image: UploadedFile[bytes] | None = None,
    checked: bool = True,
) -> Idea:
    _require_active(participant)
    _require_open(space, Space.Kind.IDEAS)
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Please give both latitude and longitude, or neither."), code="coordinates")
    cleaned = _clean_images([image] if image else [], 1)
    idea = Idea(space=space, author=participant, title=title.strip(), text=text.strip(), topic=topic,
                address=address.strip(), latitude=latitude, longitude=longitude)  # fmt: skip
    _initial_state(idea, space, checked=checked)
    if cleaned:
        idea.image_type = cleaned[0].content_type
        idea.image.save(f"idea{cleaned[0].extension}", ContentFile(cleaned[0].content), save=False)
    idea.save()
    return idea


def idea_support(*, idea: Idea, participant: Participant) -> bool:
    """Support an idea; a second support of the same person changes nothing (returns False)."""
    _require_active(participant)
    if not idea.is_public:
        raise NotAllowed(_("Only published ideas can be supported."))
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, participant=participant)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def idea_answer(*, idea: Idea, status: str, answer: str, actor: Actor) -> IdeaStatusChange:
    """The administration's public answer; a rejection must give its reason. The author gets an e-mail."""
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not idea_can_transition(idea.status, status):
        raise NotAllowed(
            _("An idea that is “%(current)s” cannot become “%(target)s”."),
            params={"current": idea.get_status_display(), "target": IdeaStatus(status).label},
        )
    if status in IDEA_REASON_REQUIRED and not answer.strip():
        raise ValidationError(_("Please give the reason for rejecting the idea."), code="reason")
    change = IdeaStatusChange.objects.create(
        idea=idea, from_status=idea.status, to_status=status, answer=answer.strip(), actor=_staff(actor)
    )
    idea.status, idea.answer, idea.answered_at = status, answer.strip(), timezone.now()
    idea.save(update_fields=["status", "answer", "answered_at"])
    notifications.queue("idea_answered", change.pk)
    return change
