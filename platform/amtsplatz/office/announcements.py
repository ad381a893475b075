"""Announcements of the office to municipalities' administrators: shown in their /cms/, sent by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django_tenants.utils import schema_context

from amtsplatz.office.audit import office_action_record
from amtsplatz.office.models import Announcement, AnnouncementDelivery, OfficeAction
from amtsplatz.office.services import Actor
from tenants.db import current_municipality
from tenants.models import Municipality
from tenants.tasks import task_named


@transaction.atomic
def announcement_post(
    *, title: str, text: str, link: str = "", municipalities: list[Municipality] | None, actor: Actor
) -> Announcement:
    """Store an announcement for all (``municipalities=None``) or the given municipalities; audit-logged.

    After the commit, one e-mail task per municipality is queued in that municipality's schema.
    """
    from django.contrib.auth.models import User

    announcement = Announcement.objects.create(
        title=title,
        text=text,
        link=link,
        to_all=municipalities is None,
        created_by=actor if isinstance(actor, User) else None,
    )
    targets = list(Municipality.objects.all()) if municipalities is None else municipalities
    if municipalities is not None:
        announcement.municipalities.set(municipalities)
    office_action_record(
        kind=OfficeAction.Kind.ANNOUNCE,
        actor=actor,
        announcement=announcement.pk,
        title=title,
        to=["*"] if municipalities is None else sorted(m.slug for m in municipalities),
    )
    schemas = [m.schema_name for m in targets]
    announcement_id = announcement.pk

    def queue() -> None:
        announcement_mail = task_named("office.announcement_mail")
        for schema in schemas:
            with schema_context(schema):  # tenant-schemas-celery carries the schema to the worker
                announcement_mail.delay(announcement_id)

    transaction.on_commit(queue)
    return announcement


def announcements_for(municipality: Municipality, *, limit: int = 5) -> QuerySet[Announcement]:
    """The newest announcements addressed to ``municipality`` (to all, or to it by name)."""
    return Announcement.objects.filter(Q(to_all=True) | Q(municipalities=municipality)).distinct()[:limit]


def announcement_send(announcement_id: int) -> int:
    """E-mail an announcement to the active superusers of the current municipality's schema, once.

    Returns how many were written to; a repeated task for the same municipality sends nothing.
    """
    municipality = current_municipality()
    with transaction.atomic():
        announcement = Announcement.objects.get(pk=announcement_id)
        delivery, created = AnnouncementDelivery.objects.select_for_update().get_or_create(
            announcement=announcement, municipality=municipality
        )
        if not created:
            return 0
        recipients = sorted(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        body = announcement.text + (f"\n\n{announcement.link}" if announcement.link else "") + "\n"
        send_mass_mail(
            [(announcement.title, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients],
            fail_silently=False,
        )
        delivery.recipients = len(recipients)
        delivery.save(update_fields=["recipients"])
    return len(recipients)
