"""The office dashboard's aggregation: figures across all municipalities, stored in ``DashboardFigure``.

Runs nightly (Celery beat) and on demand; the page only reads the stored figures, so its cost does
not grow with the number of municipalities. Per-schema counts come from ``UNION ALL`` queries over a hundred
schemas each (``tenants.cross_schema``), read outside one long transaction so that no statement holds the locks of
thousands of schemas; only the replacement of the stored figures is one transaction (ADR 0094).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from amtsplatz.office.audit import office_action_record
from amtsplatz.office.models import DashboardFigure, OfficeAction
from amtsplatz.office.services import Actor
from billing.models import Plan, Subscription
from services_catalog.models import ServiceDefinition
from tenants.cross_schema import CHUNK, query_all_municipalities
from tenants.models import Municipality
from tenants.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

Metric = DashboardFigure.Metric
MRR_STATES = (Subscription.State.ACTIVE, Subscription.State.PAST_DUE)
# Monthly figures are counted in the platform's time zone.
_MONTH = "(date_trunc('month', {column} AT TIME ZONE 'Europe/Berlin'))::date"


def _tenant_table(app_label: str, model_name: str) -> str:
    return str(apps.get_model(app_label, model_name)._meta.db_table)


def _municipality_figures() -> Counter[tuple[str, str, date | None]]:
    figures: Counter[tuple[str, str, date | None]] = Counter()
    plans = dict(Subscription.objects.values_list("municipality_id", "plan__key"))
    for pk, status in Municipality.objects.values_list("pk", "status"):
        figures[(Metric.MUNICIPALITIES_BY_STATUS, status, None)] += 1
        figures[(Metric.MUNICIPALITIES_BY_PLAN, plans.get(pk, ""), None)] += 1
    return figures


def _mrr() -> Decimal:
    """Active and past-due subscriptions; a yearly plan counts a twelfth of its amount."""
    total = Decimal("0")
    for amount, interval in Subscription.objects.filter(state__in=MRR_STATES).values_list(
        "plan__amount", "plan__interval"
    ):
        total += amount / 12 if interval == Plan.Interval.YEAR else amount
    return total.quantize(Decimal("0.01"))


def _service_figures() -> Counter[tuple[str, str, date | None]]:
    figures: Counter[tuple[str, str, date | None]] = Counter()
    keys = dict(ServiceDefinition.objects.values_list("pk", "key"))
    local = _tenant_table("local_services", "LocalService")
    adopted = query_all_municipalities(f"SELECT definition_id FROM {{schema}}.{local}")
    for _slug, definition_id in adopted:
        figures[(Metric.ADOPTION, keys.get(definition_id, ""), None)] += 1
    application = _tenant_table("applications", "Application")
    filed = query_all_municipalities(
        f"SELECT l.definition_id, {_MONTH.format(column='a.submitted_at')} AS month, count(*) "
        f"FROM {{schema}}.{application} a JOIN {{schema}}.{local} l ON l.id = a.service_id "
        "WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2"
    )
    for _slug, definition_id, month, count in filed:
        figures[(Metric.APPLICATIONS, keys.get(definition_id, ""), month)] += count
    return figures


def _participation_figures() -> Counter[tuple[str, str, date | None]]:
    """Rows per participation model and month of creation, only when that app is installed.

    The app is built separately: its models are found through the app registry, and a schema
    without its tables yet (not migrated) counts nothing instead of failing the whole aggregation.
    """
    figures: Counter[tuple[str, str, date | None]] = Counter()
    if not apps.is_installed("participation"):
        return figures
    for model in apps.get_app_config("participation").get_models():
        created = next(
            (
                f
                for f in model._meta.fields
                if f.name in ("created", "created_at") and isinstance(f, models.DateTimeField)
            ),
            None,
        )
        if created is None:
            continue
        try:  # each chunk of schemas is its own (sub)transaction: a failing one leaves the connection usable
            rows = query_all_municipalities(
                f"SELECT {_MONTH.format(column=created.column)} AS month, count(*) "
                f"FROM {{schema}}.{model._meta.db_table} GROUP BY 1"
            )
        except DatabaseError:
            logger.warning("Participation figures of %s skipped", model._meta.label, exc_info=True)
            continue
        for _slug, month, count in rows:
            figures[(Metric.PARTICIPATION, str(model._meta.label_lower), month)] += count
    return figures


def _appointment_figures() -> Counter[tuple[str, str, date | None]]:
    """Appointments and walk-ins per service and month across municipalities: bookings, no-shows; the mean wait
    after check-in over the last twelve months. Reservations never confirmed and cancellations do not count."""
    figures: Counter[tuple[str, str, date | None]] = Counter()
    booking = _tenant_table("appointments", "Booking")
    try:
        rows = query_all_municipalities(
            f"SELECT k.key, {_MONTH.format(column='b.created')} AS month, count(*), "
            "count(*) FILTER (WHERE b.status = 'no_show'), "
            "coalesce(sum(extract(epoch FROM b.called_at - b.checked_in_at)) FILTER (WHERE b.called_at IS NOT NULL "
            "AND b.checked_in_at IS NOT NULL AND b.created >= now() - interval '12 months'), 0), "
            "count(*) FILTER (WHERE b.called_at IS NOT NULL AND b.checked_in_at IS NOT NULL "
            "AND b.created >= now() - interval '12 months') "
            f"FROM {{schema}}.{booking} b CROSS JOIN LATERAL jsonb_array_elements_text(b.service_keys) AS k(key) "
            "WHERE b.status NOT IN ('reserved', 'expired', 'cancelled') GROUP BY 1, 2"
        )
    except DatabaseError:
        logger.warning("Appointment figures skipped", exc_info=True)
        return figures
    waited: dict[str, float] = {}
    waits: Counter[str] = Counter()
    for _slug, key, month, count, no_shows, wait_seconds, wait_count in rows:
        figures[(Metric.APPOINTMENTS, key, month)] += count
        if no_shows:
            figures[(Metric.APPOINTMENT_NO_SHOWS, key, month)] += no_shows
        waited[key] = waited.get(key, 0.0) + float(wait_seconds)
        waits[key] += wait_count
    for key, count in waits.items():
        if count:
            figures[(Metric.APPOINTMENT_WAIT, key, None)] = round(waited[key] / count / 60)
    return figures


def dashboard_first_figures(*, actor: Actor = None) -> bool:
    """The first figures of an installation: computed at once when one statement per metric reads every schema (a
    fresh installation, the demo), else queued, so that no request reads thousands of schemas. True when computed."""
    if Municipality.objects.count() <= CHUNK:
        dashboard_aggregate(actor=actor)
        return True
    enqueue_on_commit("office.aggregate_dashboard", [actor.pk if actor else None], what="the first dashboard figures")
    return False


def dashboard_aggregate(*, actor: Actor = None) -> int:
    """Recompute every dashboard figure and replace the stored ones; returns how many were stored."""
    figures = _service_figures() + _participation_figures() + _appointment_figures()
    with transaction.atomic():
        return _replace(figures + _municipality_figures(), actor)


def _replace(figures: Counter[tuple[str, str, date | None]], actor: Actor) -> int:
    now = timezone.now()
    rows = [
        DashboardFigure(metric=metric, dimension=str(dimension), month=month, value=Decimal(value), computed=now)
        for (metric, dimension, month), value in figures.items()
    ]
    rows.append(DashboardFigure(metric=Metric.MRR, dimension="", month=None, value=_mrr(), computed=now))
    DashboardFigure.objects.all().delete()
    DashboardFigure.objects.bulk_create(rows)
    office_action_record(kind=OfficeAction.Kind.AGGREGATE, actor=actor, figures=len(rows))
    return len(rows)
