"""Reads of offices and responsibility, for pages, the API, the answers and the 115 export.

Everything returns plain data (:class:`OfficeCard`, :class:`Responsibility`) built in one place, so a
card on a service page, in an answer and in the API say the same. Run inside a municipality's schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from offices import hours
from offices.base import Language, OfficeBase, OfficeKind, Weekday
from offices.districts.models import District, DistrictOffice
from offices.models import AreaRule, ContactRequest, Office
from services_catalog.constants import ResponsibilityLevel
from services_catalog.local.models import LocalService
from services_catalog.local.selectors import adopted_services
from services_catalog.models import ServiceDefinition
from services_catalog.selectors import published_version
from tenants.db import current_municipality, current_schema
from tenants.models import Municipality
from tenants.process_cache import ProcessCache

Source = Literal["municipality", "district"]


@dataclass(frozen=True)
class Address:
    """Where a citizen lives, as far as they told us (each part optional)."""

    postcode: str = ""
    street: str = ""
    number: int | None = None

    @classmethod
    def parse(cls, postcode: str = "", street_and_number: str = "") -> Address:
        """'Bahnhofstraße 12a' → street 'Bahnhofstraße', number 12."""
        text = " ".join(street_and_number.split())[:200]
        match = re.fullmatch(r"(.*?)[\s,]*(\d{1,5})\s*[a-zA-Z]?", text)
        street, number = (match.group(1), int(match.group(2))) if match and match.group(1) else (text, None)
        return cls(postcode.strip()[:5], street.strip(), number)

    def __bool__(self) -> bool:
        return bool(self.postcode)


@dataclass(frozen=True)
class OfficeCard:
    """One office as pages, answers and the API show it, in one language, with its status at one instant."""

    source: Source
    slug: str
    name: str
    kind: str
    kind_label: str
    street: str
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    contact_url: str
    url: str  # its page on this portal
    step_free: bool | None
    disabled_parking: bool | None
    induction_loop: bool | None
    accessibility_note: str
    languages: tuple[tuple[str, str], ...]  # (code, label)
    status: hours.OpeningStatus
    week: tuple[tuple[str, tuple[hours.Interval, ...]], ...]  # (weekday label, intervals), Monday first
    exceptions: tuple[hours.DateException, ...]  # those not over yet
    holiday_state: str  # AGS state code whose public holidays close it ("" if it stays open)
    services: tuple[tuple[str, str], ...] = field(default=())  # (catalogue key, name)


@dataclass(frozen=True)
class Responsibility:
    """Who handles a service for this municipality, and why.

    ``reason`` is one of ``own_office`` (the municipality's office provides it), ``area_rule`` (one of
    several offices, chosen by the address), ``district_office`` (the Landkreis's office), ``needs_address``
    (several offices, the address decides: see ``candidates``) or ``not_here`` (no office known here; the
    catalogue's ``level`` says who is responsible in general).
    """

    service_key: str
    level: str
    level_label: str
    reason: str
    office: OfficeCard | None
    candidates: tuple[OfficeCard, ...] = ()
    district_name: str = ""


# --- building blocks --------------------------------------------------------------------------


def district_of(municipality: Municipality) -> District | None:
    """The Landkreis a municipality belongs to (by its AGS), or None for a kreisfreie Stadt."""
    return District.objects.filter(key=municipality.ags[:5]).first()


def _schedule(office: OfficeBase, state: str, language: str) -> hours.Schedule:
    intervals = tuple(item.as_interval() for item in office.opening_intervals.all())  # type: ignore[attr-defined]
    exceptions = tuple(item.as_exception(language) for item in office.opening_exceptions.all())  # type: ignore[attr-defined]
    return hours.Schedule(intervals, exceptions, state, office.closed_on_holidays)


def _card(
    office: OfficeBase, *, source: Source, state: str, language: str, at: datetime, services: Iterable[tuple[str, str]]
) -> OfficeCard:
    schedule = _schedule(office, state, language)
    today = at.astimezone(hours.BERLIN).date()
    if source == "municipality":
        url = reverse("offices:detail", kwargs={"slug": office.slug})
    else:
        url = reverse("offices:district-detail", kwargs={"slug": office.slug})
    language_labels = dict(Language.choices)
    return OfficeCard(
        source=source,
        slug=office.slug,
        name=office.name,
        kind=office.kind,
        kind_label=str(OfficeKind(office.kind).label) if office.kind in OfficeKind.values else office.kind,
        street=office.street,
        postcode=office.postcode,
        city=office.city,
        latitude=float(office.latitude) if office.latitude is not None else None,
        longitude=float(office.longitude) if office.longitude is not None else None,
        phone=office.phone,
        email=office.email,
        contact_url=office.contact_url,
        url=url,
        step_free=office.step_free,
        disabled_parking=office.disabled_parking,
        induction_loop=office.induction_loop,
        accessibility_note=office.accessibility_note(language),
        languages=tuple((code, str(language_labels.get(code, code))) for code in office.languages),
        status=hours.opening_status(schedule, at),
        week=tuple((str(Weekday(day).label), tuple(items)) for day, items in hours.week_rows(schedule.intervals)),
        exceptions=tuple(item for item in schedule.exceptions if item.last >= today),
        holiday_state=state if office.closed_on_holidays else "",
        services=tuple(services),
    )


def _service_names(services: Iterable[LocalService], language: str) -> list[tuple[str, str]]:
    names = []
    for local in services:
        version_id = local.pinned_version_id or local.definition.latest_version_id
        if local.enabled and version_id:
            names.append((local.definition.key, published_version(version_id).name(language)))
    return sorted(names, key=lambda item: item[1].casefold())


def _offices() -> QuerySet[Office]:
    return Office.objects.prefetch_related(
        "opening_intervals", "opening_exceptions", "area_rules", Prefetch("services", queryset=adopted_services())
    )


def _district_offices(district: District) -> QuerySet[DistrictOffice]:
    # Only keys: names come from the process's store of published versions.
    definitions = ServiceDefinition.objects.only("id", "key", "latest_version_id")
    return district.offices.prefetch_related(
        "opening_intervals", "opening_exceptions", Prefetch("services", queryset=definitions)
    )


def _district_service_names(office: DistrictOffice, language: str, adopted: frozenset[str]) -> list[tuple[str, str]]:
    names = [
        (definition.key, published_version(definition.latest_version_id).name(language))
        for definition in office.services.all()
        if definition.latest_version_id is not None and definition.key in adopted
    ]
    return sorted(names, key=lambda item: item[1].casefold())


def _own_card(
    office: Office, municipality: Municipality, language: str, at: datetime, with_services: bool = True
) -> OfficeCard:
    return _card(
        office, source="municipality", state=municipality.state, language=language, at=at,
        services=_service_names(office.services.all(), language) if with_services else (),
    )  # fmt: skip


def _adopted_keys() -> frozenset[str]:
    return frozenset(LocalService.objects.filter(enabled=True).values_list("definition__key", flat=True))


def _district_card(
    office: DistrictOffice,
    district: District,
    language: str,
    at: datetime,
    adopted: frozenset[str] | None = None,
    with_services: bool = True,
) -> OfficeCard:
    if not with_services:
        return _card(office, source="district", state=district.state, language=language, at=at, services=())
    adopted = _adopted_keys() if adopted is None else adopted
    return _card(
        office, source="district", state=district.state, language=language, at=at,
        services=_district_service_names(office, language, adopted),
    )  # fmt: skip


# --- public selectors --------------------------------------------------------------------------


def office_cards(*, language: str = "de", at: datetime | None = None) -> list[OfficeCard]:
    """The municipality's own offices, then the offices of its Landkreis, each with its status at ``at``."""
    municipality = current_municipality()
    moment = at or timezone.now()
    cards = [_own_card(office, municipality, language, moment) for office in _offices()]
    district = district_of(municipality)
    if district is not None:
        cards += [_district_card(office, district, language, moment) for office in _district_offices(district)]
    return cards


def office_card(slug: str, *, language: str = "de", at: datetime | None = None) -> OfficeCard | None:
    """One of the municipality's own offices by its short name."""
    office = _offices().filter(slug=slug).first()
    return _own_card(office, current_municipality(), language, at or timezone.now()) if office else None


def district_office_card(slug: str, *, language: str = "de", at: datetime | None = None) -> OfficeCard | None:
    """An office of the municipality's own Landkreis (never of another district) by its short name."""
    district = district_of(current_municipality())
    if district is None:
        return None
    office = _district_offices(district).filter(slug=slug).first()
    return _district_card(office, district, language, at or timezone.now()) if office else None


@dataclass(frozen=True)
class _Resolution:
    """What deciding responsibility for one service reads from the database (no instant, no address)."""

    version_id: int  # the version this municipality offers (pinned or latest), else the latest published
    own: tuple[Office, ...]  # the municipality's offices providing the adopted service, rules and hours loaded
    district_office: DistrictOffice | None  # the Landkreis's office handling it, for a district-level service


@dataclass(frozen=True)
class _Resolutions:
    """Responsibility for every published service in one municipality: an index by catalogue key."""

    services: dict[str, _Resolution]
    district: District | None
    adopted: frozenset[str]  # keys of the adopted services (a district office card lists only those)


# One index per schema, built with a fixed number of statements whatever the size of the catalogue; forgotten
# on every change of an office, its hours, area rules or services, a district office, an adoption, a
# definition or a municipality (connected in OfficesConfig.ready). The card itself (opening status at this
# instant, the area rule of an address) is computed per request from it.
resolutions: ProcessCache[str, _Resolutions] = ProcessCache("offices:responsibility-generation", max_entries=1024)


def _resolutions() -> _Resolutions:
    offices = list(_offices())
    own: dict[int, list[Office]] = {}
    for office in offices:
        for local in office.services.all():
            own.setdefault(local.pk, []).append(office)
    adopted = {local.definition.key: local for local in adopted_services()}
    district = district_of(current_municipality())
    district_offices: dict[str, DistrictOffice] = {}
    for district_office in _district_offices(district) if district is not None else ():
        for definition in district_office.services.all():
            district_offices.setdefault(definition.key, district_office)
    services = {}
    for definition in ServiceDefinition.objects.filter(latest_version__isnull=False).only("key", "latest_version_id"):
        assert definition.latest_version_id is not None
        local = adopted.get(definition.key)
        version_id = definition.latest_version_id
        if local is not None and local.pinned_version_id:
            version_id = local.pinned_version_id
        services[definition.key] = _Resolution(
            version_id, tuple(own.get(local.pk, ())) if local else (), district_offices.get(definition.key)
        )
    return _Resolutions(services, district, frozenset(adopted))


def _by_area(offices: Sequence[Office], address: Address | None) -> tuple[Office | None, str]:
    """Choose among several offices providing one service: the most specific matching area rule wins."""
    if len(offices) == 1:
        return offices[0], "own_office"
    if address:
        matches: list[tuple[int, AreaRule]] = [
            (rule.specificity, rule)
            for office in offices
            for rule in office.area_rules.all()
            if rule.matches(postcode=address.postcode, street=address.street, number=address.number)
        ]
        if matches:
            best = max(matches, key=lambda item: item[0])[1]
            return next(office for office in offices if office.pk == best.office_id), "area_rule"
    # An office without area rules serves everyone no rule sends elsewhere.
    catch_all = [office for office in offices if not office.area_rules.all()]
    if len(catch_all) == 1 and (address or not any(office.area_rules.all() for office in offices)):
        return catch_all[0], "own_office"
    return None, "needs_address"


def responsible_office(
    service_key: str,
    *,
    address: Address | None = None,
    language: str = "de",
    at: datetime | None = None,
    with_services: bool = True,
) -> Responsibility | None:
    """Who handles ``service_key`` for the current municipality (None: no published service of that key).

    ``with_services=False`` leaves the office cards' list of services empty (an answer card does not show it).

    Order: the municipality's own offices that provide the adopted service (several: the address and
    the area rules decide); else, for a service the catalogue assigns to the district, the office of
    the municipality's Landkreis that handles it; else nobody here (``reason == "not_here"``).
    """
    index = resolutions.get(current_schema(), _resolutions)
    resolution = index.services.get(service_key)
    if resolution is None:
        return None
    version = published_version(resolution.version_id)
    municipality = current_municipality()
    moment = at or timezone.now()
    level = version.responsibility_level
    level_label = str(ResponsibilityLevel(level).label) if level in ResponsibilityLevel.values else level

    def found(
        reason: str, office: OfficeCard | None, candidates: tuple[OfficeCard, ...] = (), district: str = ""
    ) -> Responsibility:
        return Responsibility(service_key, level, level_label, reason, office, candidates, district)

    own = list(resolution.own)
    if own:
        office, reason = _by_area(own, address)
        if office is not None:
            return found(reason, _own_card(office, municipality, language, moment, with_services))
        cards = tuple(_own_card(item, municipality, language, moment, with_services) for item in own)
        return found(reason, None, cards)
    district = index.district if level == ResponsibilityLevel.DISTRICT else None
    if district is not None and resolution.district_office is not None:
        card = _district_card(resolution.district_office, district, language, moment, index.adopted, with_services)
        return found("district_office", card, (), district.name)
    return found("not_here", None, (), district.name if district else "")


def contactable_offices() -> list[tuple[str, str]]:
    """(short name, name) of the municipality's own offices, for the general contact form's choice."""
    return list(Office.objects.order_by("name").values_list("slug", "name"))


def contactable_office(slug: str) -> Office | None:
    """One of the municipality's own offices, to be written to (a district's office is not reached from here)."""
    return Office.objects.filter(slug=slug).first()


def contact_requests_unmailed(*, settled: datetime, since: datetime) -> list[int]:
    """Contact requests received between ``since`` and ``settled`` with an e-mail still owed (a newer one's task
    may still be on its way; an older one is left to /cms/ rather than retried for ever)."""
    owed = ContactRequest.objects.filter(created__lt=settled, created__gte=since).filter(
        models.Q(office_mailed_at__isnull=True) | models.Q(confirmation_mailed_at__isnull=True)
    )
    return list(owed.values_list("pk", flat=True))
