"""Anonymous writes that send e-mail have a budget per e-mail address and per client: no mail bombing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from amtsplatz.infra.security.rate_limits import BUDGETS
from tests.applications.conftest import offer
from tests.security.urlconf import routes

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"
PASSWORD = "Ein-sicheres-Kennwort-2026"


def _verify(email: str, address: str = "203.0.113.7", **headers: Any) -> Any:
    client = Client(HTTP_HOST=HOST, REMOTE_ADDR=address, **headers)
    return client.post("/api/v1/email-verifications", {"email": email}, content_type="application/json")


def test_magic_links_to_one_address_stop_at_the_budget(gera: Any) -> None:
    budget = BUDGETS["portal-api:verification_send"].per_email
    answers = [_verify("opfer@example.org").status_code for _attempt in range(budget + 3)]
    assert answers == [202] * budget + [429] * 3
    assert len(mail.outbox) == budget
    refused = _verify("OPFER@example.org", "198.51.100.9")  # another client, same address in other letters
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    detail = refused.json()["detail"]
    assert "Zu viele Anfragen dieser Art" in detail and "Too many requests of this kind" in detail


def test_magic_links_from_one_client_stop_at_the_budget(gera: Any) -> None:
    budget = BUDGETS["portal-api:verification_send"].per_client
    answers = [_verify(f"person{number}@example.org").status_code for number in range(budget + 1)]
    assert answers == [202] * budget + [429]
    assert _verify("nachbarin@example.org", "198.51.100.9").status_code == 202


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_clients_behind_the_proxy_have_a_budget_each(gera: Any) -> None:
    budget = BUDGETS["portal-api:verification_send"].per_client
    for number in range(budget):
        assert _verify(f"p{number}@example.org", "10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 202
    assert _verify("x@example.org", "10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert _verify("y@example.org", "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 202


def test_password_resets_answer_alike_for_known_and_unknown_addresses(gera: Any) -> None:
    with schema_context("gera"):
        User.objects.create_user("redaktion", "redaktion@example.org", PASSWORD, is_staff=True, is_superuser=True)
    budget = BUDGETS["wagtailadmin_password_reset"].per_email
    statuses = {}
    for email in ("redaktion@example.org", "niemand@example.org"):
        client = Client(HTTP_HOST=HOST)
        statuses[email] = [
            client.post("/cms/password_reset/", {"email": email}).status_code for _attempt in range(budget + 1)
        ]
    assert statuses["redaktion@example.org"] == statuses["niemand@example.org"] == [302] * budget + [429]
    assert len(mail.outbox) == budget  # only the known address gets mail, and only up to the budget


def test_citizen_sign_ups_to_one_address_stop_at_the_budget(gera: Any) -> None:
    budget = BUDGETS["citizens:sign-up"].per_email
    data = {"email": "neu@example.org", "password": PASSWORD, "password_again": PASSWORD}
    answers = [
        Client(HTTP_HOST=HOST).post("/antraege/konto/registrieren/", data).status_code for _attempt in range(budget + 1)
    ]
    assert answers == [200] * budget + [429]


def test_the_start_form_sends_magic_links_only_up_to_the_budget(gera: Any) -> None:
    offer("gera", "bewohnerparkausweis")
    budget = BUDGETS["applications:start"].per_email
    answers = [
        Client(HTTP_HOST=HOST).post("/antraege/bewohnerparkausweis/", {"email": "ziel@example.org"}).status_code
        for _attempt in range(budget + 1)
    ]
    assert answers == [200] * budget + [429]
    assert len(mail.outbox) == budget


def test_every_budget_names_a_view_that_exists() -> None:
    """A renamed or moved view must take its budget along: a budget of a name nobody routes protects nothing."""
    names = {route.name for conf in ("amtsplatz.urls_tenant", "amtsplatz.urls_public") for route in routes(conf)}
    assert set(BUDGETS) <= names, set(BUDGETS) - names
