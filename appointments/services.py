"""Writes: reserve, confirm, cancel, move, release; tickets and the queue; calendars that must not contradict.

Capacity is the database's job (ADR 0065). A booking locks the ``SlotLoad`` rows of its grid units in time
order (``SELECT … FOR UPDATE``; one order for everyone, so no deadlocks) and raises ``booked`` by one; the
CHECK ``booked <= capacity`` makes the statement fail when a unit is full, and the whole booking rolls back.
Nobody counts free places in Python and inserts afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments import selectors, slots
from appointments.errors import BookingError, CalendarConflict, LimitReached, SlotTaken, VisitFull
from appointments.models import (
    Booking,
    Calendar,
    Counter,
    HomeVisitRequest,
    SentMail,
    SlotLoad,
    Staffing,
    TicketSequence,
    Visit,
    VisitBooking,
)
from offices.models import Office
from tenants.db import on_commit_in_current_schema


def _take_units(calendar: Calendar, starts: list[datetime]) -> None:
    """Occupy one place in each unit, or raise ``IntegrityError`` (a full or unstaffed unit)."""
    plan = selectors.calendar_plan(calendar)
    by_day: dict[date, dict[datetime, int]] = {}
    capacities = {}
    for start in starts:
        day = start.astimezone(slots.BERLIN).date()
        if day not in by_day:
            by_day[day] = plan.capacity(day)
        capacities[start] = by_day[day].get(start, 0)
    if not all(capacities.values()):
        raise IntegrityError("a unit of the appointment is not staffed")
    SlotLoad.objects.bulk_create(
        [SlotLoad(calendar=calendar, start=start, capacity=capacity) for start, capacity in capacities.items()],
        ignore_conflicts=True,  # ON CONFLICT DO NOTHING: the row exists when someone booked the unit before
    )
    # Lock in time order, then raise; the CHECK constraint refuses an overfilled unit.
    locked = list(SlotLoad.objects.select_for_update().filter(calendar=calendar, start__in=starts).order_by("start"))
    with transaction.atomic():  # a savepoint: the failing UPDATE must not poison the outer transaction
        SlotLoad.objects.filter(pk__in=[load.pk for load in locked]).update(booked=F("booked") + 1)
    _changed(calendar)


def _changed(calendar: Calendar) -> None:
    """Cached availability is stale: now (for this transaction's own reads) and again after the commit (for a
    request that recomputed from the old rows meanwhile)."""
    selectors.availability_changed(calendar)
    on_commit_in_current_schema(lambda: selectors.availability_changed(calendar))


def plan_changed(*, calendar: Calendar) -> None:
    """The cached opening calendar and offer are stale (staffing, calendar settings, the office's hours or
    services): now and again after the commit, as for :func:`_changed`."""
    selectors.plan_changed(calendar)
    on_commit_in_current_schema(lambda: selectors.plan_changed(calendar))


def _free_units(booking: Booking) -> None:
    starts = slots.unit_starts(booking.start, units=booking.units, grid_minutes=booking.calendar.grid_minutes)  # type: ignore[arg-type]
    SlotLoad.objects.filter(calendar=booking.calendar, start__in=starts, booked__gt=0).update(booked=F("booked") - 1)
    _changed(booking.calendar)


@transaction.atomic
def booking_reserve(
    *,
    calendar: Calendar,
    start: datetime,
    service_keys: list[str],
    email: str,
    name: str = "",
    language: str = "de",
    device: str = "",
    citizen_id: int | None = None,
    now: datetime | None = None,
) -> Booking:
    """Hold ``start`` for the services for ``hold_minutes``; raises ``SlotTaken`` with the next free times."""
    now = now or timezone.now()
    if not service_keys:
        raise BookingError(_("Please choose at least one service."))
    if not calendar.active:
        raise BookingError(_("This office takes no online appointments at the moment."))
    minutes = selectors.service_minutes(calendar, service_keys)
    if start < selectors.earliest_start(calendar, now) or start.astimezone(slots.BERLIN).date() > selectors.last_day(
        calendar, now
    ):
        raise BookingError(_("This time can no longer be booked online, or not yet. Please choose another one."))
    email = email.strip().lower()
    upcoming = Booking.objects.filter(
        calendar=calendar, email=email, status__in=[Booking.Status.RESERVED, Booking.Status.CONFIRMED], start__gte=now
    )
    if upcoming.count() >= calendar.max_per_email:
        raise LimitReached(
            _("This e-mail address already holds %(count)s upcoming appointments here. Cancel one to book another.")
            % {"count": calendar.max_per_email}
        )
    units = slots.units_for(minutes, calendar.grid_minutes)
    try:
        with transaction.atomic():
            _take_units(calendar, slots.unit_starts(start, units=units, grid_minutes=calendar.grid_minutes))
    except IntegrityError:
        raise SlotTaken(selectors.next_free(calendar, minutes=minutes, after=start)) from None
    booking = Booking.objects.create(
        calendar=calendar,
        start=start,
        units=units,
        minutes=minutes,
        service_keys=list(service_keys),
        email=email,
        name=name.strip(),
        language=language,
        device=device,
        citizen_id=citizen_id,
        expires_at=now + timedelta(minutes=calendar.hold_minutes),
    )
    _notify("reservation_received", booking)
    return booking


def _notify(kind: str, booking: Booking | VisitBooking | HomeVisitRequest) -> None:
    from appointments.notifications import queue

    queue(kind, booking.pk)


def notification_send(*, kind: str, object_id: int) -> bool:
    """Send the e-mail ``kind`` for ``object_id`` unless it went out already; True when sent now.

    The ``SentMail`` row is claimed first and committed with the send: a redelivered, retried or swept task
    (or the request's fallback) waits on the row of one sending at the same moment and then sends nothing.
    When sending fails, nothing is recorded and the retry or the sweeper sends it. A worker that dies after
    the mail left but before the commit leaves no row: that mail may go out twice (at least once, ADR 0087).
    """
    from appointments.notifications import SENDERS

    with transaction.atomic():
        try:
            with transaction.atomic():
                SentMail.objects.create(kind=kind, object_id=object_id)
        except IntegrityError:
            return False
        if kind == "booking_reminder":
            Booking.objects.filter(pk=object_id).update(reminded_at=timezone.now())
        SENDERS[kind](object_id)
    return True


def _locked(token: str) -> Booking:
    booking = Booking.objects.select_for_update().select_related("calendar").filter(token=token).first()
    if booking is None:
        raise BookingError(_("This link is not valid (any more). Please book again."))
    return booking


@transaction.atomic
def booking_confirm(*, token: str, now: datetime | None = None) -> Booking:
    """Confirm a reservation from its e-mail link; confirming twice changes nothing."""
    now = now or timezone.now()
    booking = _locked(token)
    if booking.status == Booking.Status.CONFIRMED:
        return booking
    if booking.status != Booking.Status.RESERVED or (booking.expires_at and booking.expires_at < now):
        if booking.status == Booking.Status.RESERVED:
            _expire(booking)
        raise BookingError(_("The reservation was not confirmed in time and has been released. Please book again."))
    booking.status = Booking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.save(update_fields=["status", "confirmed_at"])
    _notify("booking_confirmed", booking)
    return booking


def _expire(booking: Booking) -> None:
    _free_units(booking)
    booking.status = Booking.Status.EXPIRED
    booking.save(update_fields=["status"])


@transaction.atomic
def booking_cancel(*, token: str, now: datetime | None = None) -> Booking:
    """Cancel from the e-mail link (or by staff): the time is free again at once. Cancelling twice is a no-op."""
    booking = _locked(token)
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.EXPIRED):
        return booking
    if booking.status not in (Booking.Status.RESERVED, Booking.Status.CONFIRMED):
        raise BookingError(_("This appointment has already taken place and cannot be cancelled."))
    _free_units(booking)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now or timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    return booking


@transaction.atomic
def booking_move(*, token: str, start: datetime, now: datetime | None = None) -> Booking:
    """Move a confirmed appointment: the new time is taken first, then the old one freed; details stay."""
    now = now or timezone.now()
    booking = _locked(token)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed appointment can be moved."))
    calendar = booking.calendar
    if start < selectors.earliest_start(calendar, now) or start.astimezone(slots.BERLIN).date() > selectors.last_day(
        calendar, now
    ):
        raise BookingError(_("This time can no longer be booked online, or not yet. Please choose another one."))
    try:
        with transaction.atomic():
            _take_units(calendar, slots.unit_starts(start, units=booking.units, grid_minutes=calendar.grid_minutes))
    except IntegrityError:
        raise SlotTaken(selectors.next_free(calendar, minutes=booking.minutes, after=start)) from None
    _free_units(booking)
    booking.start = start
    booking.reminded_at = None
    booking.save(update_fields=["start", "reminded_at"])
    # The new time gets its own confirmation and, the day before, its own reminder.
    SentMail.objects.filter(kind__in=["booking_confirmed", "booking_reminder"], object_id=booking.pk).delete()
    _notify("booking_confirmed", booking)
    return booking


def reservations_release(*, now: datetime | None = None) -> int:
    """Release every reservation whose hold ran out (beat, every minute); returns how many."""
    now = now or timezone.now()
    released = 0
    for pk in Booking.objects.filter(status=Booking.Status.RESERVED, expires_at__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(skip_locked=True)
                .select_related("calendar")
                .filter(pk=pk, status=Booking.Status.RESERVED)
                .first()
            )
            if booking is not None:
                _expire(booking)
                released += 1
    return released


def ticket_next(*, calendar: Calendar, day: date, prefix: str) -> str:
    """The next ticket of the day for ``prefix``, from one atomic upsert (two desks never get the same)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TicketSequence._meta.db_table} (calendar_id, day, prefix, last) VALUES (%s, %s, %s, 1)
            ON CONFLICT (calendar_id, day, prefix) DO UPDATE SET last = {TicketSequence._meta.db_table}.last + 1
            RETURNING last
            """,
            [calendar.pk, day, prefix],
        )
        (number,) = cursor.fetchone()
    return slots.ticket_label(prefix, number)


@transaction.atomic
def check_in(*, booking: Booking, now: datetime | None = None) -> Booking:
    """A citizen with an appointment arrives: a ticket, then the waiting list."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("calendar").get(pk=booking.pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingError(_("Only a confirmed appointment can be checked in."))
    day = timezone.localdate(now)
    booking.ticket_day = day
    booking.ticket = ticket_next(calendar=booking.calendar, day=day, prefix=booking.calendar.ticket_prefix)
    booking.status = Booking.Status.WAITING
    booking.checked_in_at = now
    booking.save(update_fields=["ticket_day", "ticket", "status", "checked_in_at"])
    return booking


@transaction.atomic
def walk_in_add(*, calendar: Calendar, service_keys: list[str], now: datetime | None = None) -> Booking:
    """Someone without an appointment: a walk-in ticket (``W-007``) at the end of the waiting list."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    return Booking.objects.create(
        calendar=calendar,
        walk_in=True,
        status=Booking.Status.WAITING,
        service_keys=list(service_keys),
        minutes=selectors.service_minutes(calendar, service_keys) if service_keys else selectors.DEFAULT_MINUTES,
        ticket_day=day,
        ticket=ticket_next(calendar=calendar, day=day, prefix=calendar.walk_in_prefix),
        checked_in_at=now,
    )


@transaction.atomic
def call_next(*, counter: Counter, now: datetime | None = None) -> Booking | None:
    """Call the next waiting citizen to ``counter``: appointments due first, then in order of arrival.

    ``SKIP LOCKED`` lets two counters call at the same moment without calling the same person.
    """
    now = now or timezone.now()
    waiting = Booking.objects.select_for_update(skip_locked=True).filter(
        calendar=counter.calendar, status=Booking.Status.WAITING
    )
    booking = (
        waiting.filter(walk_in=False, start__lte=now + timedelta(minutes=5)).order_by("start").first()
        or waiting.order_by("checked_in_at").first()
    )
    if booking is None:
        return None
    booking.status = Booking.Status.CALLED
    booking.called_at = now
    booking.counter = counter
    booking.save(update_fields=["status", "called_at", "counter"])
    return booking


TRANSITIONS: dict[str, tuple[Booking.Status, ...]] = {
    Booking.Status.DONE: (Booking.Status.CALLED,),
    Booking.Status.NO_SHOW: (Booking.Status.CONFIRMED, Booking.Status.CALLED, Booking.Status.WAITING),
}


@transaction.atomic
def booking_finish(*, booking: Booking, status: str, now: datetime | None = None) -> Booking:
    """Served, or did not come (no-show); only from the states in ``TRANSITIONS``."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in TRANSITIONS.get(status, ()):
        raise BookingError(_("This step is not possible for this appointment now."))
    booking.status = status
    booking.finished_at = now or timezone.now()
    booking.save(update_fields=["status", "finished_at"])
    return booking


@transaction.atomic
def staffing_set(*, counter: Counter, rows: list[tuple[int, str, str, int]]) -> list[Staffing]:
    """Replace a counter's staffing by ``rows`` (weekday, "HH:MM", "HH:MM", staff); contradictions are refused.

    Refused, with every conflict named (``selectors.staffing_problems``): overlapping rows of the counter, times
    off the grid, staffing outside the office's opening hours, and a change that leaves booked appointments
    without staff.
    """
    calendar = Calendar.objects.select_for_update().get(pk=counter.calendar_id)
    new = [Staffing(counter=counter, weekday=w, start=_time(a), end=_time(b), capacity=c) for w, a, b, c in rows]
    wanted = [replace(s.interval(), label=counter.name) for s in new]
    problems = selectors.staffing_problems(calendar, counter_pk=counter.pk, wanted=wanted)
    if problems:
        raise CalendarConflict("; ".join(problems))
    Staffing.objects.filter(counter=counter).delete()
    created = Staffing.objects.bulk_create(new)
    loads_recompute(calendar=calendar)
    return created


def loads_recompute(*, calendar: Calendar) -> None:
    """After a change of staffing or hours: the capacity of every future booked unit follows the plan."""
    plan = selectors.calendar_plan(calendar)
    for load in SlotLoad.objects.select_for_update().filter(calendar=calendar, start__gte=timezone.now()):
        capacity = max(plan.capacity(load.start.astimezone(slots.BERLIN).date()).get(load.start, 0), load.booked)
        if capacity != load.capacity:
            load.capacity = capacity
            load.save(update_fields=["capacity"])
    plan_changed(calendar=calendar)


def _time(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise CalendarConflict(_("%(value)s is not a time of day (HH:MM).") % {"value": value}) from None


# --- mobile citizen service (ADR 0087) ---------------------------------------------------------

VISIT_HOLD_MINUTES = 15  # a visit's place is held this long until the e-mail link confirms it
VISITS_PER_EMAIL = 1  # places one e-mail address may hold at one visit


@transaction.atomic
def visit_reserve(
    *,
    visit: Visit,
    service_keys: list[str],
    email: str,
    name: str,
    language: str = "de",
    device: str = "",
    citizen_id: int | None = None,
    now: datetime | None = None,
) -> VisitBooking:
    """Hold a place at ``visit``; the CHECK ``booked <= capacity`` refuses the one too many (``VisitFull``)."""
    now = now or timezone.now()
    if not service_keys:
        raise BookingError(_("Please choose at least one service."))
    if not visit.published or slots.local_instant(visit.day, visit.end) <= now:
        raise BookingError(_("This visit can no longer be booked."))
    email = email.strip().lower()
    held = VisitBooking.objects.filter(
        visit=visit, email=email, status__in=[VisitBooking.Status.RESERVED, VisitBooking.Status.CONFIRMED]
    )
    if held.count() >= VISITS_PER_EMAIL:
        raise LimitReached(_("This e-mail address already holds a place at this visit."))
    try:
        with transaction.atomic():
            Visit.objects.filter(pk=visit.pk).update(booked=F("booked") + 1)
    except IntegrityError:
        raise VisitFull() from None
    booking = VisitBooking.objects.create(
        visit=visit, service_keys=list(service_keys), email=email, name=name.strip(), language=language,
        device=device, citizen_id=citizen_id, expires_at=now + timedelta(minutes=VISIT_HOLD_MINUTES),
    )  # fmt: skip
    _notify("visit_reserved", booking)
    return booking


def _visit_booking(token: str) -> VisitBooking:
    booking = VisitBooking.objects.select_for_update().select_related("visit").filter(token=token).first()
    if booking is None:
        raise BookingError(_("This link is not valid (any more). Please book again."))
    return booking


def _visit_free(booking: VisitBooking) -> None:
    Visit.objects.filter(pk=booking.visit_id, booked__gt=0).update(booked=F("booked") - 1)


@transaction.atomic
def visit_confirm(*, token: str, now: datetime | None = None) -> VisitBooking:
    """Confirm a held place from its e-mail link; twice changes nothing; too late releases it."""
    now = now or timezone.now()
    booking = _visit_booking(token)
    if booking.status == VisitBooking.Status.CONFIRMED:
        return booking
    if booking.status != VisitBooking.Status.RESERVED or (booking.expires_at and booking.expires_at < now):
        if booking.status == VisitBooking.Status.RESERVED:
            _visit_free(booking)
            booking.status = VisitBooking.Status.EXPIRED
            booking.save(update_fields=["status"])
        raise BookingError(_("The reservation was not confirmed in time and has been released. Please book again."))
    booking.status = VisitBooking.Status.CONFIRMED
    booking.confirmed_at = now
    booking.save(update_fields=["status", "confirmed_at"])
    _notify("visit_confirmed", booking)
    return booking


@transaction.atomic
def visit_cancel(*, token: str, now: datetime | None = None) -> VisitBooking:
    """Cancel by the link: the place is free again at once. Cancelling twice is a no-op."""
    booking = _visit_booking(token)
    if booking.status in (VisitBooking.Status.RESERVED, VisitBooking.Status.CONFIRMED):
        _visit_free(booking)
        booking.status = VisitBooking.Status.CANCELLED
        booking.cancelled_at = now or timezone.now()
        booking.save(update_fields=["status", "cancelled_at"])
    return booking


def visit_reservations_release(*, now: datetime | None = None) -> int:
    """Release places whose hold ran out (with the office reservations, every minute)."""
    now = now or timezone.now()
    released = 0
    due = VisitBooking.objects.filter(status=VisitBooking.Status.RESERVED, expires_at__lt=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                VisitBooking.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=VisitBooking.Status.RESERVED)
                .first()
            )
            if booking is not None:
                _visit_free(booking)
                booking.status = VisitBooking.Status.EXPIRED
                booking.save(update_fields=["status"])
                released += 1
    return released


@transaction.atomic
def home_visit_request(
    *,
    office: Office,
    name: str,
    email: str,
    street: str,
    postcode: str,
    city: str,
    service_keys: list[str],
    phone: str = "",
    message: str = "",
    language: str = "de",
    citizen_id: int | None = None,
) -> HomeVisitRequest:
    """Store a request for a home visit and tell the office by e-mail (after commit)."""
    request = HomeVisitRequest.objects.create(
        office=office, name=name.strip(), email=email.strip().lower(), phone=phone.strip(), street=street.strip(),
        postcode=postcode.strip(), city=city.strip(), service_keys=list(service_keys), message=message.strip(),
        language=language, citizen_id=citizen_id,
    )  # fmt: skip
    _notify("home_visit_received", request)
    return request


@transaction.atomic
def home_visit_reply(*, request: HomeVisitRequest, reply: str, now: datetime | None = None) -> HomeVisitRequest:
    """Send the office's reply to the citizen, once; a later edit of an answered request sends nothing."""
    locked = HomeVisitRequest.objects.select_for_update().get(pk=request.pk)
    if locked.replied_at is not None:
        return locked
    if not reply.strip():
        raise BookingError(_("Please write a reply."))
    locked.reply = reply.strip()
    locked.replied_at = now or timezone.now()
    locked.save(update_fields=["reply", "replied_at"])
    _notify("home_visit_reply", locked)
    return locked
