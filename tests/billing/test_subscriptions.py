"""Municipalities as the platform's customers: plans, the past due → suspended → active machine, the office."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Invoice, Plan, Subscription
from billing.subscriptions import plan_for, subscription_start, suspend_overdue
from tenants.models import Municipality, SuspensionReason
from tenants.services import municipality_suspend
from tests.billing.conftest import Deliver
from tests.stripe_fake import StripeFake

pytestmark = pytest.mark.django_db
State = Subscription.State


@pytest.fixture
def plans() -> dict[str, Plan]:
    small = Plan.objects.create(key="s-monat", name="S", inhabitants_max=20000, amount=Decimal("149.00"))
    large = Plan.objects.create(key="l-monat", name="L", inhabitants_min=20000, amount=Decimal("490.00"))
    yearly = Plan.objects.create(key="s-jahr", name="S", inhabitants_max=20000, interval="year", amount=Decimal("1490"))
    return {"small": small, "large": large, "yearly": yearly}


@pytest.fixture
def office() -> Client:
    user = User.objects.create_user("kasse@amtsplatz.example", password="Kennwort-Buero-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_subscription"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _subscribed(municipality: Municipality, plan: Plan) -> Subscription:
    return subscription_start(
        municipality=Municipality.objects.get(pk=municipality.pk), plan=plan, billing_email="kasse@gera.example"
    )


def _state(municipality: Municipality) -> tuple[str, str, str]:
    subscription = Subscription.objects.select_related("municipality").get(municipality=municipality)
    return subscription.state, subscription.municipality.status, subscription.municipality.suspended_for


def test_plans_are_chosen_by_inhabitants_and_interval(plans: dict[str, Plan]) -> None:
    assert plan_for(5000) == plans["small"]
    assert plan_for(20000) == plans["small"]  # tiers include their upper bound
    assert plan_for(104000) == plans["large"]
    assert plan_for(5000, "year") == plans["yearly"]


def test_past_due_then_suspended_then_active_with_events_out_of_order(
    gera: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, deliver: Deliver
) -> None:
    subscription = _subscribed(gera, plans["small"])
    assert _state(gera) == (State.ACTIVE, "active", "")

    overdue = stripe_fake.invoice_overdue(subscription.stripe_subscription_id, days=3)
    deliver(*overdue)
    assert _state(gera) == (State.PAST_DUE, "active", "")  # within the grace period: nothing blocked yet

    assert suspend_overdue(now=timezone.now() + timedelta(days=12)) == 1  # the hourly check after the grace period
    assert _state(gera) == (State.SUSPENDED, "suspended", SuspensionReason.BILLING)
    with schema_context("gera"):
        from wagtail.models import Page

        assert Page.objects.exists()  # suspension deletes nothing

    paid = stripe_fake.invoice_pay(subscription.stripe_subscription_id)
    deliver(paid[1], *overdue, paid[0])  # newest first, the stale "past due" events in between
    assert _state(gera) == (State.ACTIVE, "active", "")
    invoice = Invoice.objects.get(municipality=gera)
    assert (invoice.status, invoice.amount_paid) == (Invoice.Status.PAID, Decimal("149.00"))


def test_an_invoice_long_overdue_suspends_when_its_event_arrives(
    gera: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, deliver: Deliver
) -> None:
    subscription = _subscribed(gera, plans["small"])
    deliver(*stripe_fake.invoice_overdue(subscription.stripe_subscription_id, days=30))
    assert _state(gera) == (State.SUSPENDED, "suspended", SuspensionReason.BILLING)


def test_payment_before_the_past_due_events_arrive_never_suspends(
    gera: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, deliver: Deliver
) -> None:
    subscription = _subscribed(gera, plans["small"])
    overdue = stripe_fake.invoice_overdue(subscription.stripe_subscription_id, days=30)
    paid = stripe_fake.invoice_pay(subscription.stripe_subscription_id)
    deliver(*paid, *overdue)  # Stripe delivered the older events last
    assert _state(gera) == (State.ACTIVE, "active", "")


def test_a_paid_invoice_does_not_lift_a_suspension_by_the_office(
    gera: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, deliver: Deliver
) -> None:
    subscription = _subscribed(gera, plans["small"])
    deliver(*stripe_fake.invoice_overdue(subscription.stripe_subscription_id, days=30))
    Municipality.objects.filter(pk=gera.pk).update(suspended_for=SuspensionReason.OFFICE)
    deliver(*stripe_fake.invoice_pay(subscription.stripe_subscription_id))
    assert _state(gera) == (State.ACTIVE, "suspended", SuspensionReason.OFFICE)


def test_an_office_suspension_is_not_touched_by_billing(gera: Municipality) -> None:
    municipality = Municipality.objects.get(pk=gera.pk)
    assert municipality_suspend(municipality=municipality, reason=SuspensionReason.OFFICE) is True
    assert municipality_suspend(municipality=municipality, reason=SuspensionReason.BILLING) is False
    assert Municipality.objects.get(pk=gera.pk).suspended_for == SuspensionReason.OFFICE


def test_the_office_subscribes_a_municipality_and_sees_its_state(
    gera: Municipality, wurzen: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, office: Client
) -> None:
    response = office.post(
        "/office/billing/gera/subscribe/", {"plan": plans["small"].pk, "billing_email": "kasse@gera.example"}
    )
    assert response.status_code == 302
    again = office.post(
        "/office/billing/gera/subscribe/", {"plan": plans["small"].pk, "billing_email": "kasse@gera.example"}
    )
    assert "bereits" in office.get(again["Location"]).content.decode()  # subscribed once
    assert len(stripe_fake.owned_by(None, "subscription")) == 1
    overview = office.get("/office/billing/").content.decode()
    assert "Stadt Gera" in overview or gera.name in overview
    page = office.get("/office/billing/gera/").content.decode()
    assert "AMTS-0001" in page  # the first invoice, mirrored for the office
    assert "149,00" in page or "149.00" in page


def test_bad_input_on_billing_pages_explains_and_keeps_everything(
    gera: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, office: Client
) -> None:
    response = office.post("/office/billing/gera/subscribe/", {"plan": "", "billing_email": "kein-mail"}, follow=True)
    assert "Wählen Sie einen Tarif" in response.content.decode()
    assert not Subscription.objects.exists() and stripe_fake.requests == []
    page = office.post("/office/billing/plans/new/", {"key": "x", "name": "X", "amount": "0.10", "interval": "month",
                                                      "inhabitants_min": "10", "inhabitants_max": "5"})  # fmt: skip
    assert page.status_code == 200 and not Plan.objects.filter(key="x").exists()


def test_the_office_starts_connect_onboarding_once_and_sees_when_charges_work(
    gera: Municipality, stripe_fake: StripeFake, office: Client
) -> None:
    first = office.post("/office/billing/gera/connect/", {"email": "kasse@gera.example"})
    second = office.post("/office/billing/gera/connect/", {"email": "kasse@gera.example"})
    assert first["Location"].startswith("https://connect.stripe.com/") and second.status_code == 302
    [account] = stripe_fake.owned_by(None, "account")
    assert Municipality.objects.get(pk=gera.pk).stripe_account_id == account["id"]
    office.get("/office/billing/gera/connect/return/")
    assert Municipality.objects.get(pk=gera.pk).stripe_charges_enabled is False
    stripe_fake.complete_onboarding(account["id"])
    page = office.get("/office/billing/gera/connect/return/", follow=True).content.decode()
    assert Municipality.objects.get(pk=gera.pk).stripe_charges_enabled is True
    assert "online" in page


def test_billing_pages_are_for_billing_staff_only(gera: Municipality) -> None:
    editor = User.objects.create_user("redaktion@amtsplatz.example", password="x", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    assert client.get("/office/billing/")["Location"].startswith("/office/login/")
    client.force_login(editor)
    assert client.get("/office/billing/").status_code == 403
    assert Client(HTTP_HOST="gera.localhost").get("/office/billing/").status_code == 404  # not on a portal host


def test_the_municipality_admin_sees_only_its_own_subscription_and_opens_the_portal(
    gera: Municipality, wurzen: Municipality, plans: dict[str, Plan], stripe_fake: StripeFake, settings: Any
) -> None:
    _subscribed(gera, plans["small"])
    gera_client, wurzen_client, clerk_client = (Client(HTTP_HOST=f"{h}.localhost") for h in ("gera", "wurzen", "gera"))
    with schema_context("gera"):
        gera_client.force_login(User.objects.create_superuser("admin@gera.example", "admin@gera.example", "x"))
        clerk_client.force_login(User.objects.create_user("clerk@gera.example", password="x", is_staff=True))
    with schema_context("wurzen"):
        wurzen_client.force_login(User.objects.create_superuser("admin@wurzen.example", "admin@wurzen.example", "x"))
    page = gera_client.get("/cms/abonnement/").content.decode()
    assert "AMTS-0001" in page
    portal = gera_client.post("/cms/abonnement/")
    assert portal["Location"].startswith("https://billing.stripe.com/")
    wurzen_page = wurzen_client.get("/cms/abonnement/").content.decode()
    assert "AMTS-0001" not in wurzen_page  # Gera's invoices are nothing of Wurzen's
    assert wurzen_client.post("/cms/abonnement/", follow=True).status_code == 200  # no subscription: a message
    assert len([r for r in stripe_fake.requests if r["path"] == "/v1/billing_portal/sessions"]) == 1
    assert clerk_client.get("/cms/abonnement/").status_code in (302, 403)
