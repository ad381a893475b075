"""Onboarding through the wizard, the API and the CLI: a Celery task, a visible state, all or nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils.http import urlsafe_base64_decode
from django_tenants.utils import schema_context, schema_exists

from amtsplatz.office import roles
from amtsplatz.office.models import OfficeAction, OnboardingJob
from amtsplatz.office.onboarding import api_token_create
from billing.models import Plan, Subscription
from tenants.models import Domain, Municipality
from tests.conftest import legal_facts

pytestmark = pytest.mark.django_db

WIZARD = {
    "name": "Stadt Augustusburg",
    "slug": "augustusburg",
    "ags": "14522020",
    "state": "14",
    "domains": "augustusburg.localhost\nwww.augustusburg.localhost",
    "contact_name": "Bürgeramt Augustusburg",
    "contact_email": "buergeramt@augustusburg.example",
    "contact_phone": "037291 00000",
    "theme": "klar",
    "plan": "klein-monat",
    "inhabitants": "4500",
    "admin_email": "it@augustusburg.example",
    "kind": "kreisangehoerig",
    "adopt_bundle": "on",
    **legal_facts("Stadt Augustusburg", "Augustusburg", "09573", "augustusburg"),
}


@pytest.fixture
def plan() -> Plan:
    return Plan.objects.create(key="klein-monat", name="Klein", inhabitants_max=10000, amount=Decimal("89.00"))


def _nothing_left() -> None:
    assert not Municipality.objects.filter(slug="augustusburg").exists()
    assert not Domain.objects.filter(domain__endswith="augustusburg.localhost").exists()
    assert not schema_exists("augustusburg")


def test_wizard_creates_the_municipality_in_a_task_and_invites_the_admin(
    admin_client: Client, plan: Plan, tasks_inline: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/office/onboarding/", WIZARD)
    assert response.status_code == 302
    job = OnboardingJob.objects.get()
    assert response["Location"] == f"/office/onboarding/{job.pk}/"
    assert (job.status, job.error, job.invitation_sent) == ("done", "", True)
    status_page = admin_client.get(response["Location"]).content.decode()
    assert "Stadt Augustusburg" in status_page and "refresh" not in status_page

    municipality = Municipality.objects.get(slug="augustusburg")
    assert job.municipality == municipality and municipality.inhabitants == 4500
    assert set(municipality.domains.values_list("domain", "is_primary")) == {
        ("augustusburg.localhost", True),
        ("www.augustusburg.localhost", False),
    }
    assert Subscription.objects.get(municipality=municipality).plan == plan
    with schema_context("augustusburg"):
        from themes.selectors import current_branding

        branding = current_branding()
        assert (branding.theme, branding.contact_email) == ("klar", "buergeramt@augustusburg.example")
    assert OfficeAction.objects.get(kind="onboard").municipality_slug == "augustusburg"

    (invitation,) = mail.outbox
    assert invitation.to == ["it@augustusburg.example"]
    body = str(invitation.body)
    assert "72" in body
    link = re.search(r"http://augustusburg\.localhost:8000(/cms/password_reset/confirm/(\S+)/(\S+)/)", body)
    assert link is not None
    # The link works on the new portal and is valid for 72 hours, not longer.
    assert Client(HTTP_HOST="augustusburg.localhost").get(link.group(1)).status_code in (200, 302)
    with schema_context("augustusburg"):
        admin = User.objects.get(pk=urlsafe_base64_decode(link.group(2)).decode())

        class Later(PasswordResetTokenGenerator):
            def __init__(self, hours: int) -> None:
                super().__init__()
                self.hours = hours

            def _now(self) -> datetime:
                return datetime.now() + timedelta(hours=self.hours)

        assert Later(71).check_token(admin, link.group(3))
        assert not Later(73).check_token(admin, link.group(3))


@pytest.mark.parametrize("failing_step", ["branding", "plan"])
def test_onboarding_rollback_on_a_failing_step_leaves_nothing_and_shows_the_reason(
    admin_client: Client,
    plan: Plan,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    failing_step: str,
) -> None:
    schemas_before = _schemas()
    if failing_step == "branding":

        def broken_branding(**kwargs: Any) -> None:
            raise RuntimeError("storage unavailable")

        monkeypatch.setattr("themes.hooks_tenants.branding_set", broken_branding)
    response = admin_client.post("/office/onboarding/", WIZARD)
    assert response.status_code == 302
    if failing_step == "plan":  # withdrawn between the request and the worker: the last step fails
        plan.delete()
    job = OnboardingJob.objects.get()
    from amtsplatz.office.tasks import onboard

    assert onboard.delay(job.pk).get() == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and job.municipality is None
    expected = "storage unavailable" if failing_step == "branding" else "Plan matching query does not exist"
    assert expected in job.error
    _nothing_left()
    assert _schemas() == schemas_before
    assert not mail.outbox
    page = admin_client.get(f"/office/onboarding/{job.pk}/").content.decode()
    assert expected in page
    failed = OfficeAction.objects.get(kind="onboard")
    assert (failed.succeeded, failed.municipality_slug) == (False, "augustusburg")
    # A redelivered task changes nothing.
    assert onboard.delay(job.pk).get() == "failed"


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def test_wizard_refuses_bad_input_with_every_reason(admin_client: Client, gera: Municipality) -> None:
    response = admin_client.post(
        "/office/onboarding/", {**WIZARD, "ags": "16052000", "domains": "gera.localhost", "plan": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "gera.localhost" in html and "16052000" in html
    assert not OnboardingJob.objects.exists()


def test_api_onboards_with_an_office_token(
    office_admin: User,
    office_user_in: Callable[[str], User],
    plan: Plan,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = Client(HTTP_HOST="localhost")
    body = {
        "name": "Stadt Augustusburg",
        "slug": "augustusburg",
        "ags": "14522020",
        "domains": ["augustusburg.localhost"],
        "admin_email": "it@augustusburg.example",
        "plan": "klein-monat",
        "inhabitants": 4500,
    }
    assert client.post("/api/v1/municipalities", body, content_type="application/json").status_code == 401
    billing_token = api_token_create(user=office_user_in(roles.BILLING), name="billing")
    forbidden = client.post(
        "/api/v1/municipalities", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {billing_token}"
    )
    assert forbidden.status_code == 401
    token = api_token_create(user=office_admin, name="Landkreis-Skript")
    auth = {"Authorization": f"Bearer {token}"}
    bad = client.post("/api/v1/municipalities", {**body, "ags": "123"}, content_type="application/json", headers=auth)
    assert bad.status_code == 400 and "ags" in bad.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post("/api/v1/municipalities", body, content_type="application/json", headers=auth)
    assert accepted.status_code == 202
    status = client.get(accepted.json()["status_url"], headers=auth).json()
    assert (status["status"], status["municipality"]) == ("done", "augustusburg")
    assert OnboardingJob.objects.get().via == "api"


def test_cli_uses_the_same_onboarding(plan: Plan) -> None:
    call_command(
        "create_municipality",
        "--name", "Stadt Augustusburg", "--slug", "augustusburg", "--domain", "augustusburg.localhost",
        "--ags", "14522020", "--admin-email", "it@augustusburg.example", "--plan", "klein-monat",
        "--inhabitants", "4500", "--theme", "klar",
    )  # fmt: skip
    job = OnboardingJob.objects.get()
    assert (job.via, job.status, job.invitation_sent) == ("cli", "done", True)
    assert Subscription.objects.get(municipality__slug="augustusburg").plan == plan
    assert len(mail.outbox) == 1
