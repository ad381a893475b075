"""Background work of participation; every task runs in the schema it was queued from."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from amtsplatz.celery import app
from participation.models import ModeratorDigest


@app.task(name="participation.send_notification", acks_late=True)
def send_notification(kind: str, object_id: int) -> None:
    """Send one participation e-mail (see participation.notifications)."""
    from participation.notifications import SENDERS

    SENDERS[kind](object_id)


@app.task(name="participation.moderator_digest")
def moderator_digest() -> int:
    """Once a day: tell the moderators how many contributions wait. Sends at most one digest per day.

    Guest reports never confirmed within the confirmation period are deleted first.
    """
    from participation.notifications import moderator_digest as send_digest
    from participation.selectors import pending_count
    from participation.services import guest_reports_purge_unconfirmed

    guest_reports_purge_unconfirmed()

    pending = pending_count()
    if not pending:
        return 0
    moderators = list(
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="moderate", groups__permissions__content_type__app_label="participation")
            | Q(user_permissions__codename="moderate", user_permissions__content_type__app_label="participation")
        )
        .exclude(email="")
        .distinct()
    )
    try:
        with transaction.atomic():
            ModeratorDigest.objects.create(day=timezone.localdate(), pending=pending)
            send_digest(moderators=moderators, pending=pending)
    except IntegrityError:
        return 0  # today's digest went out already
    return len(moderators)
