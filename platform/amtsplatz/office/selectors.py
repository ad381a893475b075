"""Reads of the cooperation office."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from amtsplatz.office.models import Announcement, DashboardFigure, MunicipalityExport, OfficeAction
from applications.payments import get_provider
from billing.models import Invoice, Plan, Subscription
from services_catalog.models import ServiceDefinition
from tenants.models import Domain, Municipality


def audit_log(*, municipality: Municipality | None = None, limit: int = 200) -> QuerySet[OfficeAction]:
    """The newest entries of the audit log, of one municipality or of all."""
    actions = OfficeAction.objects.all()
    if municipality is not None:
        actions = actions.filter(municipality_slug=municipality.slug)
    return actions[:limit]


def exports_of(*, municipality: Municipality, limit: int = 20) -> QuerySet[MunicipalityExport]:
    """The newest exports of a municipality, finished or not."""
    return MunicipalityExport.objects.filter(municipality_slug=municipality.slug)[:limit]


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    percent: float  # of the chart's largest value, for the bar's width


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]


@dataclass(frozen=True)
class AppointmentFigures:
    service: str
    bookings: Decimal
    no_shows: Decimal
    mean_wait_minutes: Decimal | None

    @property
    def no_show_rate(self) -> float:
        return float(self.no_shows / self.bookings * 100) if self.bookings else 0.0


@dataclass(frozen=True)
class Dashboard:
    computed: datetime | None
    mrr: Decimal
    charts: list[Chart]
    months: list[date]
    applications: list[tuple[str, list[Decimal]]]  # service, count per month of ``months``
    participation: list[tuple[str, list[Decimal]]]
    participation_installed: bool
    appointments: list[AppointmentFigures] = field(default_factory=list)  # per service, over ``months``


def _chart(key: str, title: str, values: dict[str, Decimal]) -> Chart:
    top = max(values.values(), default=Decimal(0)) or Decimal(1)
    bars = [Bar(label, value, float(value / top * 100)) for label, value in values.items()]
    return Chart(key, title, bars)


def _by_month(figures: list[DashboardFigure], months: list[date]) -> list[tuple[str, list[Decimal]]]:
    table: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for figure in figures:
        if figure.month is not None:
            table[figure.dimension][figure.month] = figure.value
    return [(name, [row.get(month, Decimal(0)) for month in months]) for name, row in sorted(table.items())]


def _model_name(label: str) -> str:
    """The plural name of a model stored by its label (e.g. ``participation.idea``), or the label if it is gone."""
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except LookupError:
        return label


def dashboard(*, months: int = 12) -> Dashboard:
    """The stored dashboard figures as charts and tables (three queries, whatever the number of municipalities)."""
    Metric = DashboardFigure.Metric
    figures: dict[str, list[DashboardFigure]] = defaultdict(list)
    for figure in DashboardFigure.objects.all():
        figures[figure.metric].append(figure)
    english = (get_language() or "de").startswith("en")
    services = {
        key: (name_en if english and name_en else name_de)
        for key, name_de, name_en in ServiceDefinition.objects.values_list("key", "name_de", "name_en")
    }
    plans = dict(Plan.objects.values_list("key", "name"))
    statuses = dict(Municipality.Status.choices)
    status_values = {
        str(statuses.get(f.dimension, f.dimension)): f.value for f in figures[Metric.MUNICIPALITIES_BY_STATUS]
    }
    plan_values = {
        str(plans.get(f.dimension, f.dimension) if f.dimension else _("no plan")): f.value
        for f in figures[Metric.MUNICIPALITIES_BY_PLAN]
    }
    monthly = sorted(
        {
            f.month
            for f in figures[Metric.APPLICATIONS] + figures[Metric.PARTICIPATION] + figures[Metric.APPOINTMENTS]
            if f.month
        }
    )
    shown = monthly[-months:]
    applications = [(services.get(key, key), counts) for key, counts in _by_month(figures[Metric.APPLICATIONS], shown)]
    per_month = {
        date_format(month, "YEAR_MONTH_FORMAT"): sum((counts[i] for _name, counts in applications), Decimal(0))
        for i, month in enumerate(shown)
    }
    adoption = {
        services.get(f.dimension, f.dimension): f.value
        for f in sorted(figures[Metric.ADOPTION], key=lambda f: (-f.value, f.dimension))
    }
    every = [f for fs in figures.values() for f in fs]
    mrr = next((f.value for f in figures[Metric.MRR]), Decimal(0))
    return Dashboard(
        computed=max((f.computed for f in every), default=None),
        mrr=mrr,
        charts=[
            _chart("status", _("Municipalities by status"), status_values),
            _chart("plan", _("Municipalities by plan"), plan_values),
            _chart("applications", _("Applications filed per month"), per_month),
            _chart("adoption", _("Municipalities offering each service"), adoption),
        ],
        months=shown,
        applications=applications,
        participation=[
            (_model_name(label), counts) for label, counts in _by_month(figures[Metric.PARTICIPATION], shown)
        ],
        participation_installed=apps.is_installed("participation"),
        appointments=_appointments(figures, shown, services),
    )


def _appointments(
    figures: dict[str, list[DashboardFigure]], months: list[date], services: dict[str, str]
) -> list[AppointmentFigures]:
    """Bookings and no-shows of the months shown, the mean wait of the last twelve months, per service."""
    Metric = DashboardFigure.Metric
    shown = set(months)
    booked: dict[str, Decimal] = defaultdict(Decimal)
    missed: dict[str, Decimal] = defaultdict(Decimal)
    for figure in figures[Metric.APPOINTMENTS]:
        if figure.month in shown or not months:
            booked[figure.dimension] += figure.value
    for figure in figures[Metric.APPOINTMENT_NO_SHOWS]:
        if figure.month in shown or not months:
            missed[figure.dimension] += figure.value
    waits = {figure.dimension: figure.value for figure in figures[Metric.APPOINTMENT_WAIT]}
    return [
        AppointmentFigures(services.get(key, key), count, missed.get(key, Decimal(0)), waits.get(key))
        for key, count in sorted(booked.items(), key=lambda item: (-item[1], item[0]))
    ]


@dataclass(frozen=True)
class PaymentState:
    """How a municipality's citizens pay fees right now: the provider in use, and whether that is online."""

    label: str
    online: bool
    not_ready: str  # the provider chosen but not usable yet (e.g. Stripe before its onboarding), else empty


def payment_state(municipality: Municipality) -> PaymentState:
    """Read as a citizen's payment would be started: in the municipality's schema, through the provider registry."""
    with schema_context(municipality.schema_name):
        provider = get_provider(municipality.payment_provider)
    not_ready = "" if provider.key == municipality.payment_provider else municipality.payment_provider
    return PaymentState(str(provider.label), provider.online, not_ready)


@dataclass(frozen=True)
class MunicipalityRow:
    municipality: Municipality
    subscription: Subscription | None
    open_invoices: int
    payment: PaymentState
    domain: str


# The list's sort orders (the query parameter ``sort``): each is read along an index of tenants.Municipality.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "ags": ("ags",),
    "-ags": ("-ags",),
    "state": ("state", "name", "id"),
    "-state": ("-state", "-name", "-id"),
    "status": ("status", "name", "id"),
    "-status": ("-status", "-name", "-id"),
    "created": ("created", "id"),
    "-created": ("-created", "-id"),
}
PAGE_SIZE = 50
DOMAIN_MATCHES = 200  # a search term found in more domains than this is a word like "de", not a particular town


def municipality_search(*, query: str = "", state: str = "", sort: str = "name") -> QuerySet[Municipality]:
    """Municipalities whose name contains ``query``, whose AGS starts with it or whose domain contains it.

    Each part is answered by an index (a trigram index on the name and the domain where the server has pg_trgm,
    the AGS by prefix): the domains found first, then one query on the municipalities with the three conditions
    OR-ed, which PostgreSQL combines from the indexes (a bitmap OR) instead of reading every row.
    """
    municipalities: QuerySet[Municipality] = Municipality.objects.exclude(schema_name="public").order_by(
        *SORTS.get(sort, SORTS["name"])
    )
    if state:
        municipalities = municipalities.filter(state=state)
    query = query.strip()
    if query:
        by_domain = list(
            Domain.objects.filter(domain__icontains=query).values_list("tenant_id", flat=True)[:DOMAIN_MATCHES]
        )
        condition = Q(name__icontains=query) | Q(pk__in=by_domain)
        if query.isdigit():
            condition |= Q(ags__startswith=query)
        municipalities = municipalities.filter(condition)
    return municipalities


def municipality_rows(municipalities: Iterable[Municipality]) -> list[MunicipalityRow]:
    """One page of the office's list: each municipality with its primary domain, subscription, unpaid invoices
    and payment state; three queries for the page whatever its length, none per municipality."""
    municipalities = list(municipalities)
    ids = [m.pk for m in municipalities]
    subscriptions = {s.municipality_id: s for s in Subscription.objects.select_related("plan").filter(
        municipality_id__in=ids)}  # fmt: skip
    open_invoices = dict(
        Invoice.objects.filter(municipality_id__in=ids, status=Invoice.Status.OPEN)
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("pk"))
        .values_list("municipality_id", "n")
    )
    domains = dict(Domain.objects.filter(tenant_id__in=ids, is_primary=True).values_list("tenant_id", "domain"))
    return [
        MunicipalityRow(m, subscriptions.get(m.pk), open_invoices.get(m.pk, 0), payment_state(m), domains.get(m.pk, ""))
        for m in municipalities
    ]


FIND_LIMIT = 50  # hits of the announcement page's search shown as checkboxes


@dataclass(frozen=True)
class MunicipalityPicker:
    """The checkboxes of the announcement page: the municipalities picked so far, then the search's other hits."""

    selected: list[Municipality]
    hits: list[Municipality]
    more: bool  # the search found more than FIND_LIMIT: refine it


def municipality_picker(*, query: str, selected: Iterable[str]) -> MunicipalityPicker:
    """At most FIND_LIMIT hits of ``query`` plus the picked ones (ids as posted); a fixed number of queries."""
    ids = sorted({int(value) for value in selected if str(value).isdigit()})
    picked = list(Municipality.objects.filter(pk__in=ids).order_by("name", "id")) if ids else []
    hits: list[Municipality] = []
    if query.strip():
        hits = list(municipality_search(query=query).exclude(pk__in=ids)[: FIND_LIMIT + 1])
    return MunicipalityPicker(picked, hits[:FIND_LIMIT], len(hits) > FIND_LIMIT)


def announcement_list(*, limit: int = 50) -> QuerySet[Announcement]:
    """The newest announcements with the number of municipalities picked for each (one query)."""
    return Announcement.objects.annotate(picked=Count("municipalities"))[:limit]
