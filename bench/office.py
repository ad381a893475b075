"""The office console at 1,000 and 10,000 municipalities: list, search, dashboard, billing and announcements latency.

.venv/bin/python -m bench.office [--sizes 1000 10000] [--repeat 15]

Municipality rows (with a primary domain, a third with a subscription, a fifth with an unpaid invoice) are inserted
into the public tables only: the list, the search, the billing overview and the announcement page read nothing
else. The dashboard reads the figures the nightly aggregation stores (``DashboardFigure``); they are stored as the
aggregation would store them for N municipalities (their number does not grow with N: statuses, plans, services per
month). Each page is requested through the whole Django stack (middleware, office login, templates) with the test
client. Wall-clock times depend on the load of the shared machine; the process CPU time (this process: Python,
templates, driver) and the number of queries do not; "slowest" is the longest query of the page as the driver saw
it (for the billing overview: its totals over every municipality found), and the server's own time of the search
query is read from EXPLAIN ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from bench.harness import django_ready
from bench.report import record

SYLLABLES = [
    "bor",
    "na",
    "wur",
    "zen",
    "ge",
    "ra",
    "lau",
    "sick",
    "roch",
    "litz",
    "mark",
    "ran",
    "stadt",
    "feld",
    "bach",
    "dorf",
    "berg",
    "hau",
    "sen",
    "kirch",
    "heim",
]
PREFIXES = ("Stadt ", "Gemeinde ", "Markt ", "")
BATCH = 2000


def _name(rng: random.Random, index: int) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return f"{rng.choice(PREFIXES)}{word.capitalize()} {index}"


def _fill(target: int, rng: random.Random) -> None:
    """Insert municipality rows until there are ``target`` of them (with domains and some subscriptions)."""
    from datetime import UTC, datetime

    from django.db import connection, transaction

    from billing.models import Invoice, Plan, Subscription
    from tenants.models import Domain, FederalState, Municipality

    plan, _created = Plan.objects.get_or_create(key="bench-klein", defaults={"name": "Klein", "amount": Decimal(89)})
    states = FederalState.values
    start = Municipality.objects.filter(slug__startswith="bench-office-").count()
    for first in range(start, target, BATCH):
        numbers = range(first, min(target, first + BATCH))
        with transaction.atomic():
            created = Municipality.objects.bulk_create(
                Municipality(
                    name=_name(rng, i),
                    slug=f"bench-office-{i}",
                    schema_name=f"bench_office_{i}",
                    ags=f"{states[i % 16]}{i:06d}",
                    state=states[i % 16],
                    status="active" if i % 7 else "suspended",
                )
                for i in numbers
            )
            Domain.objects.bulk_create(
                Domain(domain=f"{m.slug}.portal.example", tenant=m, is_primary=True) for m in created
            )
            Subscription.objects.bulk_create(
                Subscription(municipality=m, plan=plan, state=Subscription.State.ACTIVE) for m in created[::3]
            )
            Invoice.objects.bulk_create(
                Invoice(
                    municipality=m, stripe_invoice_id=f"in_bench_{m.slug}", status=Invoice.Status.OPEN,
                    amount_due=Decimal(89), amount_paid=Decimal(0), issued_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
                for m in created[::5]
            )  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("tenants_municipality", "tenants_domain", "billing_subscription", "billing_invoice"):
            cursor.execute(f"ANALYZE {table}")


def _figures(count: int) -> int:
    """The figures the aggregation stores for ``count`` municipalities; returns how many rows the dashboard reads."""
    from datetime import date

    from django.utils import timezone

    from amtsplatz.office.models import DashboardFigure
    from services_catalog.models import ServiceDefinition

    now = timezone.now()
    keys = list(ServiceDefinition.objects.values_list("key", flat=True)) or [f"dienst-{i}" for i in range(40)]
    rows = [
        DashboardFigure(metric="status", dimension="active", value=Decimal(count - count // 7), computed=now),
        DashboardFigure(metric="status", dimension="suspended", value=Decimal(count // 7), computed=now),
        DashboardFigure(metric="plan", dimension="bench-klein", value=Decimal(count // 3), computed=now),
        DashboardFigure(metric="plan", dimension="", value=Decimal(count - count // 3), computed=now),
        DashboardFigure(metric="mrr", dimension="", value=Decimal(count // 3 * 89), computed=now),
    ]
    for key in keys:
        rows.append(DashboardFigure(metric="adoption", dimension=key, value=Decimal(count // 2), computed=now))
        for month in range(1, 13):
            rows.append(DashboardFigure(metric="applications", dimension=key, month=date(2026, month, 1),
                                        value=Decimal(count // 10), computed=now))  # fmt: skip
    DashboardFigure.objects.all().delete()
    DashboardFigure.objects.bulk_create(rows)
    return len(rows)


def _server_ms(path_query: dict[str, str]) -> str:
    """The server's execution time and the indexes of the search's queries (EXPLAIN ANALYZE): the domain lookup,
    then the page of municipalities."""
    from django.core.paginator import Paginator
    from django.db import connection

    from amtsplatz.office.selectors import DOMAIN_MATCHES, PAGE_SIZE, municipality_search
    from tenants.models import Domain

    domains = Domain.objects.filter(domain__icontains=path_query["query"]).values_list("tenant_id", flat=True)
    page = Paginator(municipality_search(**path_query), PAGE_SIZE).page(1)
    parts: list[str] = []
    for label, queryset in (("domains", domains[:DOMAIN_MATCHES]), ("page", page.object_list)):
        sql, params = queryset.query.sql_with_params()  # type: ignore[union-attr]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0][0]
        indexes: set[str] = set()

        def walk(node: dict[str, Any], found: set[str] = indexes) -> None:
            if "Index Name" in node:
                found.add(node["Index Name"])
            for child in node.get("Plans", []):
                walk(child, found)

        walk(plan["Plan"])
        parts.append(f"{label} {plan['Execution Time']:.2f} ms ({', '.join(sorted(indexes)) or 'seq scan'})")
    return "server: " + ", ".join(parts)


def _measure(
    client: Any, path: str, repeat: int, data: dict[str, str] | None = None
) -> tuple[float, float, int, float]:
    """Median wall and CPU milliseconds, the number of queries and the median time of the slowest query of a
    page; ``data`` is posted (a search that stores nothing), else the page is read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls: list[float] = []
    cpus: list[float] = []
    slowest: list[float] = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            if data is None:
                response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")
            else:
                response = client.post(path, data, HTTP_ACCEPT_LANGUAGE="de")
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(captured)
        slowest.append(max(float(query["time"]) for query in captured.captured_queries))
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, queries, statistics.median(slowest) * 1000


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    # The bench's office user logs in without a second factor, as in the tests (tests/environment.py).
    os.environ["AMTSPLATZ_STAFF_2FA_MANDATORY"] = "0"
    django_ready("amtsplatz_bench_office")
    from django.contrib.auth.models import User
    from django.test import Client

    from tenants.models import Municipality

    user, _created = User.objects.get_or_create(
        username="bench-office@example.org", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    rng = random.Random(26)
    Municipality.objects.filter(slug__startswith="bench-office-").delete()  # sizes grow from zero in every run
    figures: dict[str, float] = {}
    lines: list[str] = []
    try:
        for size in sorted(args.sizes):
            _fill(size, rng)
            read = _figures(size)
            sample = Municipality.objects.filter(slug=f"bench-office-{size // 2}").get()
            word = sample.name.split()[-2][1:5]  # part of a name, mid-word
            domain = f"{sample.slug}.portal"
            pages = {
                "list, page 1": ("/office/", None),
                "list, last page": (f"/office/?page={(size + 49) // 50}", None),
                "list, sorted by AGS desc": ("/office/?sort=-ags", None),
                "list, state 09, sorted by state": ("/office/?state=09&sort=state", None),
                f"search name '{word}'": (f"/office/?q={word}", {"query": word}),
                "search AGS prefix '0900'": ("/office/?q=0900", {"query": "0900"}),
                f"search domain '{domain}'": (f"/office/?q={domain}", {"query": domain}),
                f"dashboard ({read} stored figures)": ("/office/dashboard/", None),
                "billing, page 1 with totals": ("/office/billing/", None),
                "billing, last page": (f"/office/billing/?page={(size + 49) // 50}", None),
                "billing, unpaid in state 09": ("/office/billing/?state=09&unpaid=on", None),
                f"billing, search name '{word}'": (f"/office/billing/?q={word}", None),
                "announcements": ("/office/announcements/", None),
            }  # fmt: skip
            posts = {
                f"announcements, find '{word}' (50 boxes)": ("/office/announcements/", {"action": "find", "find": word})
            }
            lines.append(f"{size} municipalities (median of {args.repeat}):")
            for label, (path, search) in [*pages.items(), *posts.items()]:
                data = search if label in posts else None
                wall, cpu, queries, slowest = _measure(client, path, args.repeat, data)
                extra = f"; {_server_ms(search)}" if search and data is None else ""
                line = (
                    f"  {label:<44} {wall:7.1f} ms wall, {cpu:6.1f} ms CPU, {queries:2d} queries, "
                    f"slowest {slowest:5.1f} ms{extra}"
                )
                print(line, flush=True)
                lines.append(line)
                figures[f"{size} {label}"] = wall

    finally:  # rows without schemas would stop the next migrate_all
        Municipality.objects.filter(slug__startswith="bench-office-").delete()
    record(
        "office",
        f"python -m bench.office --sizes {' '.join(map(str, args.sizes))} --repeat {args.repeat}",
        [*lines, "wall-clock on a shared 2-core machine under load; CPU = this process only"],
    )
    return figures


if __name__ == "__main__":
    main()
