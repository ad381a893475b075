"""Which appointment e-mail went out for what (ADR 0087); what was there before counts as sent, so the new
sweeper does not send old confirmations again."""

from typing import Any

from django.db import migrations, models
from django.utils import timezone


def record_past_mails(apps: Any, schema_editor: Any) -> None:
    sent_mail = apps.get_model("appointments", "SentMail")
    booking = apps.get_model("appointments", "Booking")
    visit_booking = apps.get_model("appointments", "VisitBooking")
    request = apps.get_model("appointments", "HomeVisitRequest")
    now = timezone.now()
    rows = [sent_mail(kind="reservation_received", object_id=pk, sent_at=now)
            for pk in booking.objects.filter(walk_in=False).values_list("pk", flat=True)]  # fmt: skip
    rows += [sent_mail(kind="booking_confirmed", object_id=pk, sent_at=now)
             for pk in booking.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True)]  # fmt: skip
    rows += [sent_mail(kind="booking_reminder", object_id=pk, sent_at=now)
             for pk in booking.objects.filter(reminded_at__isnull=False).values_list("pk", flat=True)]  # fmt: skip
    rows += [sent_mail(kind="visit_reserved", object_id=pk, sent_at=now)
             for pk in visit_booking.objects.values_list("pk", flat=True)]  # fmt: skip
    rows += [sent_mail(kind="visit_confirmed", object_id=pk, sent_at=now)
             for pk in visit_booking.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True)]  # fmt: skip
    rows += [sent_mail(kind="home_visit_received", object_id=pk, sent_at=now)
             for pk in request.objects.values_list("pk", flat=True)]  # fmt: skip
    rows += [sent_mail(kind="home_visit_reply", object_id=pk, sent_at=now)
             for pk in request.objects.filter(replied_at__isnull=False).values_list("pk", flat=True)]  # fmt: skip
    sent_mail.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_22x_planning_and_mobile_service"),
    ]

    operations = [
        migrations.CreateModel(
            name="SentMail",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=32)),
                ("object_id", models.PositiveBigIntegerField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="mail_sent_once")],
            },
        ),
        migrations.RunPython(record_past_mails, migrations.RunPython.noop),
    ]
