"""Reads: a calendar's staffing, closed days, free times, the day at the counter."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from amtsplatz.infra.cache import CacheUnavailable
from appointments import slots
from appointments.models import Booking, Calendar, SentMail, ServiceDuration, SlotLoad, Staffing, Visit, VisitBooking
from offices import hours
from offices.models import Office
from services_catalog.local.models import LocalService
from tenants.db import current_municipality
from tenants.hooks import OfficeFact

DEFAULT_MINUTES = 15  # a service without a local length (ADR 0066)


@dataclass(frozen=True)
class Day:
    """One day of the calendar as the booking page shows it."""

    day: date
    starts: list[datetime]
    closed_reason: str | None = None  # None: open; "" closed on its day off; else the holiday or closure


@dataclass(frozen=True)
class Plan:
    """What decides a calendar's capacity: the counters' staffing and the office's opening schedule."""

    grid_minutes: int
    staffing: tuple[slots.Interval, ...]
    schedule: hours.Schedule

    def closed_reason(self, day: date) -> str | None:
        """None when the office opens on ``day``; else why not (holiday, closure; "" for its day off)."""
        if hours.periods_starting_on(self.schedule, day):
            return None
        exception = next((item for item in self.schedule.exceptions if item.covers(day)), None)
        if exception is not None:
            return exception.reason
        return hours.holiday_name(self.schedule.state, day) if self.schedule.closed_on_holidays else ""

    def capacity(self, day: date) -> dict[datetime, int]:
        """Places per grid unit of ``day``: staffed and within an opening of the office."""
        periods = hours.periods_starting_on(self.schedule, day)
        step = timedelta(minutes=self.grid_minutes)
        return {
            unit: places
            for unit, places in slots.day_capacity(day, self.staffing, grid_minutes=self.grid_minutes).items()
            if any(p.start <= unit and unit + step <= p.end for p in periods)
        }


def calendar_plan(calendar: Calendar, language: str = "de") -> Plan:
    office = calendar.office
    staffing = tuple(
        s.interval() for s in Staffing.objects.filter(counter__calendar=calendar).select_related("counter")
    )
    schedule = hours.Schedule(
        tuple(item.as_interval() for item in office.opening_intervals.all()),
        tuple(item.as_exception(language) for item in office.opening_exceptions.all()),
        current_municipality().state,
        office.closed_on_holidays,
    )
    return Plan(calendar.grid_minutes, staffing, schedule)


def catalogue_minutes(service_keys: list[str]) -> dict[str, int]:
    """The catalogue's default appointment length of each service (as offered here) that has one."""
    found = {}
    for local in LocalService.objects.filter(definition__key__in=service_keys).select_related(
        "definition__latest_version", "pinned_version"
    ):
        version = local.offered_version
        if version is not None and version.appointment_minutes:
            found[local.definition.key] = version.appointment_minutes
    return found


def staffing_problems(
    calendar: Calendar, *, counter_pk: int | None, wanted: list[slots.Interval], grid_minutes: int | None = None
) -> list[str]:
    """Why the staffing ``wanted`` for one counter (``counter_pk``; None: a new one) contradicts the calendar.

    Each message names the conflict: overlapping rows, times off the grid, staffing outside the office's
    opening hours, booked appointments that would be left without staff.
    """
    grid = grid_minutes or calendar.grid_minutes
    opening = [
        slots.Interval(item.weekday, item.opens, item.closes, 0)
        for item in calendar.office.opening_intervals.all()
        if item.closes > item.opens  # night openings do not take appointments
    ]
    found = slots.conflicts(wanted, grid_minutes=grid) + slots.outside(wanted, opening)
    if found:
        return [str(conflict) for conflict in found]
    others = Staffing.objects.filter(counter__calendar=calendar).select_related("counter")
    if counter_pk is not None:
        others = others.exclude(counter_id=counter_pk)
    plan = calendar_plan(calendar)
    plan = Plan(plan.grid_minutes, tuple(s.interval() for s in others) + tuple(wanted), plan.schedule)
    short = []
    for load in SlotLoad.objects.filter(calendar=calendar, start__gte=timezone.now(), booked__gt=0).order_by("start"):
        if plan.capacity(load.start.astimezone(slots.BERLIN).date()).get(load.start, 0) < load.booked:
            short.append(formats.date_format(load.start.astimezone(slots.BERLIN), "SHORT_DATETIME_FORMAT"))
    if short:
        return [_("Appointments are booked at %(times)s: move or cancel them first.") % {"times": ", ".join(short)}]
    return []


def service_minutes(calendar: Calendar, service_keys: list[str]) -> int:
    """Length of one appointment for all ``service_keys``: their lengths add up.

    Each length is the office's own (``ServiceDuration``), else the catalogue's default, else 15 minutes.
    """
    local = dict(ServiceDuration.objects.filter(calendar=calendar).values_list("service_key", "minutes"))
    default = catalogue_minutes([key for key in service_keys if key not in local])
    return sum(local.get(key) or default.get(key, DEFAULT_MINUTES) for key in service_keys)


def earliest_start(calendar: Calendar, now: datetime) -> datetime:
    return now + timedelta(minutes=calendar.lead_minutes)


def last_day(calendar: Calendar, now: datetime) -> date:
    return timezone.localdate(now) + timedelta(days=calendar.horizon_days)


AVAILABILITY_SECONDS = 60  # bounds staleness after changes no version sees (the catalogue's appointment lengths)


CACHE_PREFIX = "appointments"  # of the cache keys (tests use one of their own)


def _loads_key(calendar: Calendar) -> str:
    return f"{CACHE_PREFIX}:availability-version:{calendar.pk}"


def _plan_key(calendar: Calendar) -> str:
    return f"{CACHE_PREFIX}:plan-version:{calendar.pk}"


def _raise_version(key: str) -> None:
    try:
        cache.add(key, 0, timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=None)
    except CacheUnavailable:
        # Redis away: nothing is cached meanwhile; what it kept expires within AVAILABILITY_SECONDS.
        pass


def availability_changed(calendar: Calendar) -> None:
    """Invalidate the cached free times of ``calendar`` (after a booking, cancellation, move or release)."""
    _raise_version(_loads_key(calendar))


def plan_changed(calendar: Calendar) -> None:
    """Invalidate the cached opening calendar and offer of ``calendar`` (staffing, its settings, the office's
    hours, closures or services changed); the free times computed from them go with it."""
    _raise_version(_plan_key(calendar))


def _versions(calendar: Calendar) -> tuple[int, int]:
    """(plan version, loads version) of ``calendar``, in one round trip to the cache."""
    plan_key, loads_key = _plan_key(calendar), _loads_key(calendar)
    found = cache.get_many([plan_key, loads_key])
    return found.get(plan_key, 0), found.get(loads_key, 0)


def offered_minutes(calendar: Calendar, service_keys: list[str]) -> int | None:
    """Length of one appointment for ``service_keys`` at ``calendar``; None when its office does not offer all.

    Cached under the plan version (an office's services and local lengths raise it); only offers are cached,
    so made-up service keys fill no cache.
    """
    if not service_keys:
        return None
    digest = hashlib.sha256("\n".join(service_keys).encode()).hexdigest()[:32]
    key = f"{CACHE_PREFIX}:offer:{calendar.pk}:{_versions(calendar)[0]}:{digest}"
    minutes: int | None = cache.get(key)
    if minutes is None:
        if calendar not in calendars_for(service_keys):
            return None
        minutes = service_minutes(calendar, service_keys)
        cache.set(key, minutes, timeout=AVAILABILITY_SECONDS)
    return minutes


def _language() -> str:
    return "en" if (get_language() or "de").startswith("en") else "de"


@dataclass(frozen=True)
class OpenDay:
    """One day of a calendar's opening calendar: places per grid unit, or why it is closed."""

    day: date
    capacity: dict[datetime, int]
    closed_reason: str | None = None


def opening_calendar(calendar: Calendar, *, first: date, final: date, plan_version: int) -> list[OpenDay]:
    """Places per grid unit of every day from ``first`` to ``final``: staffing within the office's openings.

    Bookings do not change it, so it is cached under the plan version only and outlives every booking.
    Reasons for closed days are in the active language.
    """
    language = _language()
    key = f"{CACHE_PREFIX}:opening:{calendar.pk}:{plan_version}:{language}:{first.isoformat()}:{final.isoformat()}"
    found: list[OpenDay] | None = cache.get(key)
    if found is None:
        plan = calendar_plan(calendar, language)
        found = []
        day = first
        while day <= final:
            reason = plan.closed_reason(day)
            found.append(OpenDay(day, {} if reason is not None else plan.capacity(day), reason))
            day += timedelta(days=1)
        cache.set(key, found, timeout=AVAILABILITY_SECONDS)
    return found


@dataclass(frozen=True)
class DayText:
    """One day of free start times as cached and as the API sends them: ISO 8601 UTC texts ending in ``Z``."""

    day: date
    starts: list[str]
    closed_reason: str | None = None


def availability_text(
    calendar: Calendar, *, minutes: int, first: date | None = None, days: int | None = None, now: datetime | None = None
) -> list[DayText]:
    """Free start times for an appointment of ``minutes``, day by day, within horizon and lead time.

    Two cached layers: the opening calendar (under the plan version, which staffing, calendar and office
    changes raise) and the free times (under plan and loads version; every booking, cancellation or release
    raises the latter), so recomputing free times after a booking is one range query over the booked units.
    Start times are kept as UTC texts, which sort as the instants do: the lead time is applied per request
    by comparing texts, and the API sends them without encoding each again. Stale free times cost nothing
    but a "taken" answer: the database decides every booking (ADR 0065).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = max(first or today, today)
    final = last_day(calendar, now)
    if days is not None:
        final = min(final, first + timedelta(days=days - 1))
    if first > final:
        return []
    plan_version, loads_version = _versions(calendar)
    key = (
        f"{CACHE_PREFIX}:free:{calendar.pk}:{plan_version}:{loads_version}:{_language()}:{minutes}:"
        f"{first.isoformat()}:{final.isoformat()}"
    )
    computed: list[DayText] | None = cache.get(key)
    if computed is None:
        computed = _availability(calendar, minutes=minutes, first=first, final=final, plan_version=plan_version)
        cache.set(key, computed, timeout=AVAILABILITY_SECONDS)
    earliest = slots.utc_text(earliest_start(calendar, now))
    return [DayText(d.day, [s for s in d.starts if s >= earliest], d.closed_reason) for d in computed]


def availability(
    calendar: Calendar, *, minutes: int, first: date | None = None, days: int | None = None, now: datetime | None = None
) -> list[Day]:
    """:func:`availability_text` with the start times as instants (for pages and forms)."""
    return [
        Day(d.day, [datetime.fromisoformat(s) for s in d.starts], d.closed_reason)
        for d in availability_text(calendar, minutes=minutes, first=first, days=days, now=now)
    ]


def _availability(calendar: Calendar, *, minutes: int, first: date, final: date, plan_version: int) -> list[DayText]:
    opening = opening_calendar(calendar, first=first, final=final, plan_version=plan_version)
    window_start = slots.local_instant(first, time(0))
    window_end = slots.local_instant(final + timedelta(days=1), time(0))
    booked = dict(
        SlotLoad.objects.filter(
            calendar=calendar, start__gte=window_start, start__lt=window_end, booked__gt=0
        ).values_list("start", "booked")
    )
    units = slots.units_for(minutes, calendar.grid_minutes)
    return [
        DayText(
            item.day,
            [
                slots.utc_text(start)
                for start in slots.free_starts(
                    item.capacity, booked, units=units, grid_minutes=calendar.grid_minutes, earliest=window_start
                )
            ],
            item.closed_reason,
        )
        for item in opening
    ]


def next_free(calendar: Calendar, *, minutes: int, after: datetime, count: int = 5) -> list[datetime]:
    """The next ``count`` free start times from ``after`` on (offered when a time was just taken)."""
    after_text = slots.utc_text(after)
    found: list[str] = []
    for day in availability_text(calendar, minutes=minutes, first=timezone.localdate(after)):
        found.extend(start for start in day.starts if start >= after_text)
        if len(found) >= count:
            break
    return [datetime.fromisoformat(start) for start in found[:count]]


def bookings_of_day(calendar: Calendar, day: date) -> QuerySet[Booking]:
    """Appointments and walk-ins of ``day``, in order of time, for the counter view."""
    start = slots.local_instant(day, time(0))
    end = slots.local_instant(day + timedelta(days=1), time(0))
    return (
        Booking.objects.filter(calendar=calendar)
        .exclude(status__in=[Booking.Status.RESERVED, Booking.Status.EXPIRED, Booking.Status.CANCELLED])
        .filter(start__gte=start, start__lt=end)
        .union(Booking.objects.filter(calendar=calendar, walk_in=True, ticket_day=day))
        .order_by("start")
    )


@dataclass(frozen=True)
class BookableService:
    key: str
    name: str
    bring: str  # "what to bring" from the catalogue (module "unterlagen")


def bookable_services(language: str = "de") -> list[BookableService]:
    """Services offered at an office that takes appointments online, by name."""
    locals_ = (
        LocalService.objects.filter(enabled=True, offices__calendar__active=True)
        .select_related("definition__latest_version", "pinned_version")
        .distinct()
    )
    found = []
    for local in locals_:
        version = local.offered_version
        if version is not None:
            found.append(
                BookableService(local.definition.key, version.name(language), version.text("unterlagen", language))
            )
    return sorted(found, key=lambda item: item.name.casefold())


def calendars_for(service_keys: list[str]) -> list[Calendar]:
    """Active calendars whose office provides every one of ``service_keys``."""
    calendars = Calendar.objects.filter(active=True).select_related("office")
    for key in service_keys:
        calendars = calendars.filter(office__services__definition__key=key, office__services__enabled=True)
    return list(calendars.distinct().order_by("office__name"))


@dataclass(frozen=True)
class BookingDetails:
    office_name: str
    address: str
    service_names: list[str]
    bring: str


def booking_details(booking: Booking, language: str = "de") -> BookingDetails:
    office = booking.calendar.office
    services = {item.key: item for item in bookable_services(language)}
    names = [services[key].name if key in services else key for key in booking.service_keys]
    bring = "\n".join(services[key].bring for key in booking.service_keys if key in services and services[key].bring)
    return BookingDetails(office.name, f"{office.street}, {office.postcode} {office.city}", names, bring)


WAIT_SAMPLE = 10  # the waiting time shown is the mean of the last ten citizens called today


def waiting_minutes(calendar: Calendar, now: datetime | None = None) -> int | None:
    """The current waiting time: how long the last citizens called today waited after check-in (None: no data)."""
    now = now or timezone.now()
    called = list(
        Booking.objects.filter(
            calendar=calendar, ticket_day=timezone.localdate(now), called_at__isnull=False, checked_in_at__isnull=False
        )
        .order_by("-called_at")
        .values_list("checked_in_at", "called_at")[:WAIT_SAMPLE]
    )
    if not called:
        return None
    waits = [(called_at - checked_in).total_seconds() for checked_in, called_at in called if checked_in and called_at]
    seconds = sum(waits) / len(waits)
    return round(seconds / 60)


def queue_state(calendar: Calendar, now: datetime | None = None) -> dict[str, Any]:
    """What the waiting-room display shows: the numbers called last (newest first), how many wait, the wait."""
    now = now or timezone.now()
    today = Booking.objects.filter(calendar=calendar, ticket_day=timezone.localdate(now)).exclude(ticket="")
    called = today.filter(status__in=[Booking.Status.CALLED, Booking.Status.DONE]).select_related("counter")
    return {
        "called": [
            {"ticket": b.ticket, "counter": b.counter.name if b.counter else ""}
            for b in called.order_by("-called_at")[:6]
        ],
        "waiting": today.filter(status=Booking.Status.WAITING).count(),
        "waiting_minutes": waiting_minutes(calendar, now),
    }


@dataclass(frozen=True)
class ServiceFigures:
    service: str
    bookings: int
    no_shows: int
    mean_wait_minutes: int | None

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.bookings if self.bookings else 0.0


def statistics(calendar: Calendar, *, since: datetime) -> list[ServiceFigures]:
    """Per service (an appointment for several counts for each): bookings, no-shows, mean wait after check-in."""
    names = {s.key: s.name for s in bookable_services()}
    counted: dict[str, list[int]] = {}
    waits: dict[str, list[float]] = {}
    rows = (
        Booking.objects.filter(calendar=calendar, created__gte=since)
        .exclude(status__in=[Booking.Status.RESERVED, Booking.Status.EXPIRED, Booking.Status.CANCELLED])
        .values_list("service_keys", "status", "checked_in_at", "called_at")
    )
    for keys, status, checked_in, called in rows:
        for key in keys or ["—"]:
            figures = counted.setdefault(key, [0, 0])
            figures[0] += 1
            figures[1] += status == Booking.Status.NO_SHOW
            if checked_in and called:
                waits.setdefault(key, []).append((called - checked_in).total_seconds() / 60)
    return [
        ServiceFigures(
            names.get(key, key),
            total,
            no_shows,
            round(sum(waits[key]) / len(waits[key])) if waits.get(key) else None,
        )
        for key, (total, no_shows) in sorted(counted.items())
    ]


# --- mobile citizen service (ADR 0087) ---------------------------------------------------------


def upcoming_visits(now: datetime | None = None) -> QuerySet[Visit]:
    """Published visits not over yet, soonest first, with office and services."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    visits: QuerySet[Visit] = (
        Visit.objects.filter(published=True, day__gte=today)
        .exclude(day=today, end__lte=timezone.localtime(now).time())
        .select_related("office")
        .prefetch_related("services__definition")
        .order_by("day", "start")
    )
    return visits


def visit_services(visit: Visit, language: str = "de") -> list[tuple[str, str]]:
    """(key, name) of the services offered at ``visit``, by name."""
    found = []
    for local in visit.services.filter(enabled=True).select_related("definition__latest_version", "pinned_version"):
        version = local.offered_version
        if version is not None:
            found.append((local.definition.key, version.name(language)))
    return sorted(found, key=lambda item: item[1].casefold())


def home_visit_offices() -> list[tuple[str, str]]:
    """(slug, name) of the offices that take home-visit requests: those running visits or appointments."""
    return [
        (office.slug, office.name)
        for office in Office.objects.filter(Q(visits__isnull=False) | Q(calendar__isnull=False))
        .distinct()
        .order_by("name")
    ]


def office_facts(office_slug: str) -> list[OfficeFact]:
    """For the office's page (``tenants.hooks``): the current waiting time and the way to an appointment."""
    calendar = Calendar.objects.filter(office__slug=office_slug).first()
    if calendar is None:
        return []
    facts = []
    wait = waiting_minutes(calendar)
    if wait is not None:
        facts.append(
            OfficeFact(
                _("Current waiting time"),
                ngettext("about %(minutes)s minute", "about %(minutes)s minutes", wait) % {"minutes": wait},
            )
        )
    if calendar.active:
        facts.append(
            OfficeFact(
                _("Appointments"),
                _("Book online, no account needed."),
                _("Book an appointment"),
                reverse("appointments:start"),
            )
        )
    return facts


REMINDERS_FROM = time(17)  # local time the day before (the beat schedule starts then)


def _unsent(kind: str) -> Q:
    return ~Q(Exists(SentMail.objects.filter(kind=kind, object_id=OuterRef("pk"))))


def mails_unsent(*, settled: datetime, now: datetime) -> list[tuple[str, int]]:
    """E-mails still owed (kind, id): confirmations of appointments to come and visits not yet past, and
    reservation mails of reservations still held, for what changed before ``settled`` (its task may still be
    on its way otherwise)."""
    owed: list[tuple[str, int]] = []
    confirmed = Booking.objects.filter(
        _unsent("booking_confirmed"), status=Booking.Status.CONFIRMED, confirmed_at__lt=settled, start__gte=now
    ).exclude(email="")
    owed += [("booking_confirmed", pk) for pk in confirmed.values_list("pk", flat=True)]
    reserved = Booking.objects.filter(
        _unsent("reservation_received"), status=Booking.Status.RESERVED, created__lt=settled, expires_at__gt=now
    ).exclude(email="")
    owed += [("reservation_received", pk) for pk in reserved.values_list("pk", flat=True)]
    today = timezone.localdate(now)
    visits_confirmed = VisitBooking.objects.filter(
        _unsent("visit_confirmed"),
        status=VisitBooking.Status.CONFIRMED,
        confirmed_at__lt=settled,
        visit__day__gte=today,
    )
    owed += [("visit_confirmed", pk) for pk in visits_confirmed.values_list("pk", flat=True)]
    visits_reserved = VisitBooking.objects.filter(
        _unsent("visit_reserved"), status=VisitBooking.Status.RESERVED, created__lt=settled, expires_at__gt=now
    )
    owed += [("visit_reserved", pk) for pk in visits_reserved.values_list("pk", flat=True)]
    return owed


def reminders_due(*, now: datetime) -> list[int]:
    """Confirmed appointments of tomorrow not yet reminded of, confirmed before 17:00 today (the hour
    reminders start; who confirms later has just had the confirmation)."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return list(
        Booking.objects.filter(
            _unsent("booking_reminder"),
            status=Booking.Status.CONFIRMED,
            start__gte=slots.local_instant(tomorrow, time(0)),
            start__lt=slots.local_instant(tomorrow + timedelta(days=1), time(0)),
        )
        .exclude(confirmed_at__gte=slots.local_instant(tomorrow - timedelta(days=1), REMINDERS_FROM))
        .exclude(email="")
        .values_list("pk", flat=True)
    )
