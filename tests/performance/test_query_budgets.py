"""Query budgets: each page type and API endpoint may run at most this many SQL statements.

Counted after one warm-up request (per-process caches filled, the host lookup remembered): what a
steady-state request costs. A budget is set to what the page needs today; a change that adds
statements fails here and has to raise the budget on purpose. No timing is involved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from applications.models import Application
from services_catalog.local.models import LocalService
from tenants.models import Municipality
from tests.applications.conftest import PERSON, caseworker, last_link, offer, verified_client

pytestmark = pytest.mark.django_db

AssertMaxQueries = Callable[..., Any]
VEHICLE = {"hauptwohnsitz": True, "kennzeichen": "G-AB 123", "gesamtmasse": 1500, "halter": True}
STAFF_PASSWORD = "Kennwort-Sachbearbeitung-1"  # set by tests.applications.conftest.caseworker

# Portal pages of the default portal every municipality gets (anonymous visitor, page cache off).
PAGE_BUDGETS = {
    "HomePage /": ("/", 22),
    "ServiceIndexPage /leistungen/": ("/leistungen/", 21),
    "ContentPage /rathaus/": ("/rathaus/", 20),
    "NewsIndexPage /aktuelles/": ("/aktuelles/", 22),
    "NewsPage /aktuelles/neues-buergerportal/": ("/aktuelles/neues-buergerportal/", 22),
    "ContactPage /kontakt/": ("/kontakt/", 20),
    "SearchPage /suche/": ("/suche/", 20),
    "SearchPage /suche/?q=parken": ("/suche/?q=parken", 29),
    "LegalPage /impressum/": ("/impressum/", 20),
    "AccessibilityStatementPage /barrierefreiheit/": ("/barrierefreiheit/", 20),
    "EasyLanguagePage /leichte-sprache/": ("/leichte-sprache/", 20),
    "service detail /leistungen/bewohnerparkausweis/": ("/leistungen/bewohnerparkausweis/", 21),
    "application start /antraege/bewohnerparkausweis/": ("/antraege/bewohnerparkausweis/", 13),
    "account sign-up /antraege/konto/registrieren/": ("/antraege/konto/registrieren/", 12),
    "account log-in /antraege/konto/anmelden/": ("/antraege/konto/anmelden/", 12),
}


@pytest.fixture
def gera_parking(gera: Municipality) -> LocalService:
    return offer("gera", "bewohnerparkausweis")


@pytest.fixture(autouse=True)
def _page_cache_off(settings: Any) -> None:
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 0


def _within(client: Client, path: str, budget: int, assert_max: AssertMaxQueries, **extra: Any) -> Any:
    client.get(path, **extra)  # warm-up
    with assert_max(budget):
        response = client.get(path, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.parametrize("name", PAGE_BUDGETS)
def test_portal_page(
    name: str, gera_parking: LocalService, gera_client: Client, django_assert_max_num_queries: AssertMaxQueries
) -> None:
    path, budget = PAGE_BUDGETS[name]
    _within(gera_client, path, budget, django_assert_max_num_queries)


def test_application_step_page(gera_parking: LocalService, django_assert_max_num_queries: AssertMaxQueries) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    _within(client, step_url, 15, django_assert_max_num_queries)


def test_application_review_and_status_pages(
    gera_parking: LocalService, django_assert_max_num_queries: AssertMaxQueries, django_capture_on_commit_callbacks: Any
) -> None:
    client, step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    response = client.post(step_url, {**PERSON, "hauptwohnsitz": "true", "action": "next"})
    response = client.post(response["Location"], {"kennzeichen": "G-AB 1", "gesamtmasse": "1500", "halter": "true",
                                                  "action": "next"})  # fmt: skip
    review_url = response["Location"]
    _within(client, review_url, 15, django_assert_max_num_queries)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(review_url, {"idempotency_key": "budget"})
    with schema_context("gera"):
        token = Application.objects.exclude(status="draft").get(applicant_email="erika@example.org").access_token
    _within(client, f"/antraege/status/{token}/", 14, django_assert_max_num_queries)


def test_citizen_applications_overview(
    gera_parking: LocalService, django_assert_max_num_queries: AssertMaxQueries
) -> None:
    client, _step_url = verified_client("gera.localhost", "erika@example.org", "bewohnerparkausweis")
    _within(client, "/antraege/", 14, django_assert_max_num_queries)


def test_caseworker_inbox(gera_parking: LocalService, django_assert_max_num_queries: AssertMaxQueries) -> None:
    caseworker("gera", "budget-desk", gera_parking)
    client = Client(HTTP_HOST="gera.localhost")
    assert client.post("/cms/login/", {"username": "budget-desk", "password": STAFF_PASSWORD}).status_code == 302
    # 16: the page's totals (one COUNT) and the second factor's device lookup (TOTP and recovery codes, one
    # query each) came with the workbench and 2FA; none of them grows with the number of applications.
    _within(client, "/cms/antraege/", 16, django_assert_max_num_queries)


def _token(client: Client, email: str) -> str:
    response = client.post("/api/v1/email-verifications", {"email": email}, content_type="application/json")
    assert response.status_code == 202
    return last_link("/antraege/e-mail/").split("/antraege/e-mail/")[1].split("/")[0]


def test_api_email_verification(gera_parking: LocalService, django_assert_max_num_queries: AssertMaxQueries) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    _token(client, "warm@example.org")
    with django_assert_max_num_queries(3):
        _token(client, "erika@example.org")


def test_api_applications_post_and_get(
    gera_parking: LocalService,
    gera_client: Client,
    django_assert_max_num_queries: AssertMaxQueries,
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = _token(gera_client, "erika@example.org")
    body = {"service": "bewohnerparkausweis", "data": {**PERSON, **VEHICLE}}

    def post(key: str) -> Any:
        auth = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        with django_capture_on_commit_callbacks(execute=False):
            return gera_client.post("/api/v1/applications", body, content_type="application/json", headers=auth)

    post("warm-up")
    with django_assert_max_num_queries(8):
        created = post("budget")
    assert created.status_code == 201, created.content
    # The idempotent replay: the unique key refuses the second insert, its transaction is rolled back.
    with django_assert_max_num_queries(10):
        assert post("budget").status_code == 200
    reference, access = created.json()["reference"], created.json()["access_token"]
    read = f"/api/v1/applications/{reference}"
    gera_client.get(read, HTTP_AUTHORIZATION=f"Bearer {access}")
    with django_assert_max_num_queries(3):
        assert gera_client.get(read, HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200


def test_cached_page_hit_runs_no_sql(
    gera: Municipality, gera_client: Client, settings: Any, django_assert_num_queries: AssertMaxQueries
) -> None:
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 300
    gera_client.get("/")  # warm-up: host lookup remembered, page stored
    with django_assert_num_queries(0):
        response = gera_client.get("/")
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
