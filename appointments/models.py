"""Appointments of one municipality (tenant schema).

A ``Calendar`` belongs to an office (opening hours, closures and the federal state's holidays come from
``offices``); its counters are staffed by weekday and time (``Staffing``). Time is
cut into grid units; every unit that anyone booked has one ``SlotLoad`` row whose ``booked`` may never
exceed its ``capacity`` — a CHECK constraint, so the database refuses the booking that would overfill a
unit, whatever the application code does (ADR 0065).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from appointments.slots import GRID_CHOICES, WEEKDAYS, Interval
from services_catalog.local.models import LocalService


class Calendar(ClusterableModel):
    """The bookable time of one office: grid, horizon, lead time, hold time of reservations."""

    office = models.OneToOneField("offices.Office", on_delete=models.CASCADE, related_name="calendar")
    grid_minutes = models.PositiveSmallIntegerField(
        _("slot grid (minutes)"), default=15, choices=[(g, str(g)) for g in GRID_CHOICES]
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    lead_minutes = models.PositiveIntegerField(
        _("minimum lead time (minutes)"), default=120, help_text=_("How long before an appointment it can be booked.")
    )
    hold_minutes = models.PositiveSmallIntegerField(
        _("reservation held (minutes)"),
        default=10,
        validators=[MinValueValidator(2), MaxValueValidator(60)],
        help_text=_("How long a slot stays reserved until the e-mail link confirms it."),
    )
    max_per_email = models.PositiveSmallIntegerField(
        _("open appointments per e-mail address"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("How many upcoming appointments one e-mail address may hold at this office."),
    )
    ticket_prefix = models.CharField(_("ticket letter"), max_length=1, default="A")
    walk_in_prefix = models.CharField(_("walk-in ticket letter"), max_length=1, default="W")
    active = models.BooleanField(_("bookable online"), default=True)

    class Meta:
        verbose_name = _("appointment calendar")
        verbose_name_plural = _("appointment calendars")
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(ticket_prefix=F("walk_in_prefix")), name="calendar_prefixes_differ"),
        ]

    def __str__(self) -> str:
        return str(self.office)


class Counter(ClusterableModel):
    """A counter (Schalter) of an office; its staffing says when and by how many people it is served."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(_("name"), max_length=60, help_text=_("As shown on the waiting-room display."))

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [models.UniqueConstraint(fields=["calendar", "name"], name="counter_name_unique")]

    def __str__(self) -> str:
        return self.name


class Staffing(models.Model):
    """``capacity`` people serve appointments at ``counter`` on ``weekday`` from ``start`` to ``end``."""

    counter = ParentalKey(Counter, on_delete=models.CASCADE, related_name="staffing")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(n, name) for n, name in enumerate(WEEKDAYS)], validators=[MaxValueValidator(6)]
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    capacity = models.PositiveSmallIntegerField(_("staff"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("staffing")
        verbose_name_plural = _("staffing")
        ordering: ClassVar = ["weekday", "start"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="staffing_end_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="staffing_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.interval().describe()

    def interval(self) -> Interval:
        return Interval(self.weekday, self.start, self.end, self.capacity, label=self.counter.name)


class ServiceDuration(models.Model):
    """The local length of a service's appointment; without a row the catalogue's default applies."""

    calendar = ParentalKey(Calendar, on_delete=models.CASCADE, related_name="durations")
    service_key = models.SlugField(_("service"), max_length=80)
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MinValueValidator(5), MaxValueValidator(240)])

    class Meta:
        verbose_name = _("appointment length")
        verbose_name_plural = _("appointment lengths")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["calendar", "service_key"], name="duration_once_per_service"),
        ]

    def __str__(self) -> str:
        return f"{self.service_key}: {self.minutes} min"


class SlotLoad(models.Model):
    """How many of a grid unit's places are taken. Created on the first booking of the unit."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="loads")
    start = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["calendar", "start"], name="slot_load_once_per_unit"),
            # The guarantee against double booking: an update that overfills a unit fails in the database.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_load_within_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} UTC: {self.booked}/{self.capacity}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class Booking(models.Model):
    """An appointment (reserved → confirmed → at the counter) or a walk-in's ticket."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("reserved")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("not confirmed in time")
        WAITING = "waiting", _("checked in")
        CALLED = "called", _("called")
        DONE = "done", _("served")
        NO_SHOW = "no_show", _("did not come")

    HOLDS_PLACE: ClassVar = (Status.RESERVED, Status.CONFIRMED, Status.WAITING, Status.CALLED, Status.DONE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(max_length=40, default=_token, unique=True, editable=False)
    calendar = models.ForeignKey(Calendar, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RESERVED)
    walk_in = models.BooleanField(default=False)
    start = models.DateTimeField(null=True, blank=True)
    units = models.PositiveSmallIntegerField(default=1)
    minutes = models.PositiveSmallIntegerField(default=15)
    service_keys = models.JSONField(default=list)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(max_length=5, default="de")
    device = models.CharField(max_length=64, blank=True)  # keyed hash of the client, for the per-device limit
    citizen_id = models.PositiveBigIntegerField(null=True, blank=True)  # the user of a logged-in citizen
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ticket_day = models.DateField(null=True, blank=True)
    ticket = models.CharField(max_length=12, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    counter = models.ForeignKey(Counter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering: ClassVar = ["start"]
        indexes: ClassVar = [
            models.Index(fields=["calendar", "start"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["email", "status"]),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["calendar", "ticket_day", "ticket"], condition=~Q(ticket=""), name="ticket_once_per_day"
            ),
            models.CheckConstraint(condition=Q(walk_in=True) | Q(start__isnull=False), name="booking_has_time"),
        ]

    def __str__(self) -> str:
        return self.ticket or (f"{self.start:%Y-%m-%d %H:%M} UTC" if self.start else str(self.public_id))

    @property
    def end(self) -> datetime | None:
        return self.start + timedelta(minutes=self.minutes) if self.start else None


class TicketSequence(models.Model):
    """The last ticket number handed out per calendar, day and letter (``A-042``); one row, updated atomically."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE)
    day = models.DateField()
    prefix = models.CharField(max_length=1)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["calendar", "day", "prefix"], name="ticket_sequence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.prefix}: {self.last}"


class KioskDevice(models.Model):
    """A terminal in a Bürgerbüro. Its signed token (shown once when created) turns kiosk mode on."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="kiosks")
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(max_length=64, default=_token, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiosk terminal")
        verbose_name_plural = _("kiosk terminals")

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """A visit of the mobile citizen service (e.g. a care home, a university at semester start).

    Citizens book a place within its time window; ``booked`` may never exceed ``capacity`` — a CHECK
    constraint, as for office slots (ADR 0087).
    """

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="visits", verbose_name=_("office"),
        help_text=_("Whose staff go; questions and home-visit requests are routed to it."),
    )  # fmt: skip
    place = models.CharField(_("place"), max_length=200, help_text=_("E.g. “Seniorenheim Am Park”."))
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    day = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    services = models.ManyToManyField(LocalService, verbose_name=_("services offered"), related_name="mobile_visits")
    capacity = models.PositiveSmallIntegerField(
        _("places"), default=10, validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many citizens can be served during the visit."),
    )  # fmt: skip
    booked = models.PositiveSmallIntegerField(default=0, editable=False)
    note_de = models.TextField(_("note (German)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    published = models.BooleanField(_("bookable online"), default=True)

    class Meta:
        verbose_name = _("mobile service visit")
        verbose_name_plural = _("mobile service visits")
        ordering: ClassVar = ["day", "start"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="visit_within_capacity"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="visit_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.place}, {self.day:%d.%m.%Y} {self.start:%H:%M}–{self.end:%H:%M}"

    def note(self, language: str) -> str:
        return self.note_en if language == "en" and self.note_en else self.note_de

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.booked, 0)


class VisitBooking(models.Model):
    """A place at a visit: reserved → confirmed by the e-mail link (or released), cancelled by its link."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("reserved")
        CONFIRMED = "confirmed", _("confirmed")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("not confirmed in time")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token = models.CharField(max_length=40, default=_token, unique=True, editable=False)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RESERVED)
    service_keys = models.JSONField(default=list)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=5, default="de")
    device = models.CharField(max_length=64, blank=True)
    citizen_id = models.PositiveBigIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("visit booking")
        verbose_name_plural = _("visit bookings")
        indexes: ClassVar = [models.Index(fields=["status", "expires_at"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.visit}: {self.name}"


class HomeVisitRequest(models.Model):
    """Someone who cannot leave home asks for a visit; the office answers by e-mail from /cms/."""

    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="home_visit_requests", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    service_keys = models.JSONField(_("services"), default=list)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(max_length=5, default="de")
    citizen_id = models.PositiveBigIntegerField(null=True, blank=True)
    created = models.DateTimeField(_("received"), auto_now_add=True)
    reply = models.TextField(_("reply"), blank=True, help_text=_("Sent to the citizen by e-mail when saved (once)."))
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("home-visit request")
        verbose_name_plural = _("home-visit requests")
        ordering: ClassVar = ["-created"]

    def __str__(self) -> str:
        return f"{self.name}, {self.created:%d.%m.%Y}"


class SentMail(models.Model):
    """That the e-mail ``kind`` (a key of ``appointments.notifications.SENDERS``) went out for the booking,
    visit booking or home-visit request ``object_id``: written in the transaction that sends it, so a
    redelivered or swept task finds it and sends nothing twice (ADR 0087)."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["kind", "object_id"], name="mail_sent_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
