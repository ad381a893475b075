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
from tenants.tasks import enqueue_on_commit, task_named


@transaction.atomic
def announcement_post(
    *,
    title: str,
    text: str,
    link: str = "",
    municipalities: list[Municipality] | None,
    ags_prefix: str = "",
    actor: Actor,
) -> Announcement:
    """Store an announcement for all (``municipalities=None``), for those whose AGS begins with ``ags_prefix`` (a
    federal state or a district) or for the given municipalities; audit-logged.

    After the commit one task fans the e-mails out (one task per municipality, in its schema): the request queues
    one task whatever the number of municipalities.
    """
    from django.contrib.auth.models import User

    announcement = Announcement.objects.create(
        title=title,
        text=text,
        link=link,
        to_all=municipalities is None and not ags_prefix,
        ags_prefix=ags_prefix,
        created_by=actor if isinstance(actor, User) else None,
    )
    if municipalities is not None and not ags_prefix:
        announcement.municipalities.set(municipalities)
        to = sorted(m.slug for m in municipalities)
    else:
        to = [f"{ags_prefix}*" if ags_prefix else "*"]
    office_action_record(kind=OfficeAction.Kind.ANNOUNCE, actor=actor, announcement=announcement.pk, title=title, to=to)
    enqueue_on_commit("office.announcement_fan_out", [announcement.pk], what="the announcement's e-mails")
    return announcement


def announcement_targets(announcement: Announcement) -> QuerySet[Municipality]:
    """The municipalities an announcement is e-mailed to: for "all" and an AGS prefix those that existed when it
    was posted (the /cms/ dashboard also shows it to later ones)."""
    municipalities: QuerySet[Municipality] = Municipality.objects.exclude(schema_name="public")
    if announcement.to_all:
        return municipalities.filter(created__lte=announcement.created)
    if announcement.ags_prefix:
        return municipalities.filter(ags__startswith=announcement.ags_prefix, created__lte=announcement.created)
    return municipalities.filter(pk__in=announcement.municipalities.values("pk"))


def announcement_fan_out(announcement_id: int) -> int:
    """Queue the e-mail task of an announcement in each of its municipalities' schemas; returns how many.

    Run again (a redelivered task), it queues them again and each sends nothing twice (``AnnouncementDelivery``).
    """
    announcement_mail = task_named("office.announcement_mail")
    schemas = announcement_targets(Announcement.objects.get(pk=announcement_id)).order_by("pk")
    count = 0
    for schema in schemas.values_list("schema_name", flat=True).iterator(chunk_size=1000):
        with schema_context(schema):  # tenant-schemas-celery carries the schema to the worker
            announcement_mail.delay(announcement_id)
        count += 1
    return count


def announcements_for(municipality: Municipality, *, limit: int = 5) -> QuerySet[Announcement]:
    """The newest announcements addressed to ``municipality`` (to all, to its state or district, or to it by name)."""
    prefixes = [municipality.ags[:2], municipality.ags[:5]]
    addressed = Q(to_all=True) | Q(ags_prefix__in=prefixes) | Q(municipalities=municipality)
    return Announcement.objects.filter(addressed).distinct()[:limit]


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
