"""The office's billing overview and announcement page at many municipalities: a page at a time, searchable, totals
computed by PostgreSQL, and the same number of queries at 30 and at 300 municipalities (rows in public only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amtsplatz.office.announcements import announcement_targets, announcements_for
from amtsplatz.office.forms import MAX_SELECTED
from amtsplatz.office.models import Announcement, OfficeAction
from amtsplatz.office.selectors import FIND_LIMIT, PAGE_SIZE
from billing.models import Invoice, Plan, Subscription
from tenants.models import Municipality
from tests.office.test_list_at_scale import STATES, fleet

pytestmark = pytest.mark.django_db


def billed_fleet(count: int, start: int = 0) -> None:
    """``fleet`` plus billing: every third municipality subscribed (every sixth past due), every fourth with an
    unpaid invoice of 100 € (40 € paid), every fifth taking online payments."""
    fleet(count, start)
    plan, _created = Plan.objects.get_or_create(key="klein", defaults={"name": "Klein", "amount": Decimal(89)})
    municipalities = list(Municipality.objects.filter(slug__startswith="testort-").order_by("slug")[start:])
    subscribed = [m for m in municipalities if int(m.slug[-4:]) % 3 == 0]
    Subscription.objects.bulk_create(
        Subscription(municipality=m, plan=plan, state="past_due" if int(m.slug[-4:]) % 6 == 0 else "active")
        for m in subscribed
    )
    Invoice.objects.bulk_create(
        Invoice(
            municipality=m, stripe_invoice_id=f"in_{m.slug}", status=Invoice.Status.OPEN,
            amount_due=Decimal(100), amount_paid=Decimal(40), issued_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
        for m in municipalities if int(m.slug[-4:]) % 4 == 0
    )  # fmt: skip
    Municipality.objects.filter(pk__in=[m.pk for m in municipalities if int(m.slug[-4:]) % 5 == 0]).update(
        stripe_charges_enabled=True
    )


def _queries(client: Client, path: str, data: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        if data is None:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        else:
            response = client.post(path, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 302, 400), response.content[:500]  # 400: the refused post
    return len(queries)


BILLING = (
    "/office/billing/",
    "/office/billing/?page=2",
    "/office/billing/?sort=-ags",
    "/office/billing/?q=Testort+00",
    "/office/billing/?q=1400&state=14",
    "/office/billing/?subscription=active",
    "/office/billing/?subscription=none&unpaid=on",
)


def _announcement_requests(ids: list[int]) -> list[tuple[str, dict[str, Any] | None]]:
    return [
        ("/office/announcements/", None),
        ("/office/announcements/", {"action": "find", "find": "Testort", "title": "T", "municipalities": ids}),
        ("/office/announcements/", {"action": "post", "title": "", "text": "", "audience": "selected"}),
        ("/office/announcements/", {"action": "post", "title": "A", "text": "B", "audience": "all"}),
        ("/office/announcements/", {"action": "post", "title": "A", "text": "B", "audience": "state", "state": "14"}),
        ("/office/announcements/", {"action": "post", "title": "A", "text": "B", "audience": "district",
                                    "district": "14000"}),
        ("/office/announcements/", {"action": "post", "title": "A", "text": "B", "audience": "selected",
                                    "municipalities": ids}),
    ]  # fmt: skip


def test_billing_and_announcements_cost_the_same_at_30_and_300_municipalities(
    admin_client: Client,
    django_assert_max_num_queries: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    billed_fleet(30)
    picked = list(Municipality.objects.filter(slug__startswith="testort-").values_list("pk", flat=True)[:3])
    small = [_queries(admin_client, path) for path in BILLING]
    with django_capture_on_commit_callbacks(execute=False) as small_callbacks:
        small += [_queries(admin_client, path, data) for path, data in _announcement_requests(picked)]
    billed_fleet(270, start=30)
    large = [_queries(admin_client, path) for path in BILLING]
    with django_capture_on_commit_callbacks(execute=False) as large_callbacks:
        large += [_queries(admin_client, path, data) for path, data in _announcement_requests(picked)]
    assert large == small
    # Posting queues one task (the fan-out) whatever the number of municipalities it is for.
    assert len(small_callbacks) == len(large_callbacks) == 4
    # Session, user, permissions; the search's domains, the count, the page, its subscriptions and invoices, the
    # two totals, the plans.
    for path in BILLING:
        with django_assert_max_num_queries(16):
            admin_client.get(path)


def test_billing_overview_is_paginated_searchable_and_totals_everything_found(admin_client: Client) -> None:
    billed_fleet(120)
    first = admin_client.get("/office/billing/", HTTP_ACCEPT_LANGUAGE="en")
    assert len(first.context["rows"]) == PAGE_SIZE  # with the session's Gera and Wurzen, if any
    page = first.content.decode()
    assert "Testort 0000" in page and f"Testort {PAGE_SIZE:04d}" not in page and "page 1 of 3" in page
    last = admin_client.get("/office/billing/?page=3", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Testort 0119" in last and "Testort 0000" not in last

    # Totals over all 120 (and Gera and Wurzen if the session made them): 30 unpaid invoices, 30 × 60 € open.
    response = admin_client.get("/office/billing/?q=Testort", HTTP_ACCEPT_LANGUAGE="en")
    totals = response.context["totals"]
    assert totals.municipalities == 120 and totals.payments_online == 24
    assert (totals.open_invoices, totals.open_amount) == (30, Decimal(1800))
    assert totals.subscriptions == {"": 80, "pending": 0, "active": 20, "past_due": 20, "suspended": 0,
                                    "cancelled": 0}  # fmt: skip

    past_due = admin_client.get("/office/billing/?subscription=past_due&q=Testort", HTTP_ACCEPT_LANGUAGE="en")
    names = {row.municipality.name for row in past_due.context["rows"]}
    assert names == {f"Testort {i:04d}" for i in range(0, 120, 6)}
    assert past_due.context["totals"].municipalities == 20

    saxony_unpaid = admin_client.get("/office/billing/?state=14&unpaid=on&q=Testort", HTTP_ACCEPT_LANGUAGE="en")
    expected = {f"Testort {i:04d}" for i in range(120) if STATES[i % 16] == "14" and i % 4 == 0}
    assert {row.municipality.name for row in saxony_unpaid.context["rows"]} == expected
    assert all(row.open_invoices == 1 for row in saxony_unpaid.context["rows"])


def test_a_bad_billing_filter_is_refused_with_a_message(admin_client: Client) -> None:
    english = admin_client.get("/office/billing/?subscription=paid", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400 and "Select a valid choice" in english.content.decode()
    german = admin_client.get("/office/billing/?state=99", HTTP_ACCEPT_LANGUAGE="de")
    assert german.status_code == 400 and "Bitte eine gültige Auswahl treffen" in german.content.decode()


def test_announcement_page_never_lists_every_municipality_and_keeps_what_was_picked(admin_client: Client) -> None:
    fleet(120)
    empty = admin_client.get("/office/announcements/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="municipalities"' not in empty and "Testort" not in empty

    kept = Municipality.objects.get(slug="testort-0003")
    found = admin_client.post(
        "/office/announcements/",
        {"action": "find", "find": "Testort 01", "title": "Entwurf", "municipalities": [kept.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = found.content.decode()
    assert found.status_code == 200 and 'value="Entwurf"' in html and "This field is required" not in html
    assert f'value="{kept.pk}" checked' in html  # picked before, still ticked
    assert html.count('name="municipalities"') == 1 + 20  # and the hits "Testort 0100" … "Testort 0119"

    many = admin_client.post("/office/announcements/", {"action": "find", "find": "Testort"}).content.decode()
    assert many.count('name="municipalities"') == FIND_LIMIT and "refine the search" not in many  # German page
    assert "Suche verfeinern" in many


def test_announcements_to_a_state_or_district_reach_exactly_its_municipalities(
    admin_client: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    fleet(64)
    with django_capture_on_commit_callbacks(execute=False):
        for audience, field in (("state", {"state": "14"}), ("district", {"district": "09000"})):
            response = admin_client.post(
                "/office/announcements/", {"action": "post", "title": audience, "text": "…", "audience": audience,
                                           **field},
            )  # fmt: skip
            assert response.status_code == 302
    state = Announcement.objects.get(title="state")
    district = Announcement.objects.get(title="district")
    assert (state.ags_prefix, state.to_all, district.ags_prefix) == ("14", False, "09000")
    saxony = {m.slug for m in Municipality.objects.filter(slug__startswith="testort-", state="14")}
    assert {m.slug for m in announcement_targets(state)} >= saxony
    assert all(m.ags.startswith("14") for m in announcement_targets(state))
    assert {m.ags[:5] for m in announcement_targets(district)} == {"09000"}

    saxon = Municipality.objects.get(slug="testort-0013")  # AGS 14000013
    bavarian = Municipality.objects.get(slug="testort-0008")  # AGS 09000008
    assert [a.title for a in announcements_for(saxon)] == ["state"]
    assert [a.title for a in announcements_for(bavarian)] == ["district"]
    assert OfficeAction.objects.filter(kind="announce").count() == 2
    listed = admin_client.get("/office/announcements/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "federal state Sachsen" in listed and "district 09000" in listed


def test_bad_announcement_targets_are_refused_with_a_message(admin_client: Client) -> None:
    fleet(20)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"audience": "state"}, "Choose the federal state.", "Bundesland wählen."),
        ({"audience": "district", "district": "1472"}, "A district key has five digits.", "fünf Ziffern"),
        ({"audience": "district", "district": "99999"}, "No municipality", "Keine Kommune"),
        ({"audience": "selected", "municipalities": ["x"]}, "is not a valid value", "ist kein gültiger Wert"),
    ]
    fleet(MAX_SELECTED + 1 - 20, start=20)
    every = list(Municipality.objects.values_list("pk", flat=True))
    cases.append(({"audience": "selected", "municipalities": every}, "Select at most", "Höchstens"))
    for data, english, german in cases:
        for language, message in (("en", english), ("de", german)):
            response = admin_client.post(
                "/office/announcements/",
                {"action": "post", "title": "T", "text": "X", **data},
                HTTP_ACCEPT_LANGUAGE=language,
            )
            assert response.status_code == 400, (data, language)
            assert message in response.content.decode(), (data, language, message)
    assert not Announcement.objects.exists()
