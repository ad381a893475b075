"""Abuse resistance without tracking: rate limits (429 with a readable message), honeypot, proof of work."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from participation import antispam
from participation.models import Idea, ParticipationSettings, Space
from tests.participation.conftest import PASSWORD, citizen, logged_in, solved, space

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"


def test_rate_limit_answers_429_with_a_readable_message(gera: Any) -> None:
    space("gera", Space.Kind.IDEAS, "limits", premoderation=False)
    with schema_context("gera"):
        ParticipationSettings.objects.update_or_create(defaults={"contributions_per_account": 2})
    client = logged_in(HOST, citizen("gera", "Vielschreiber"))
    for number in range(2):
        data = {"title": f"Idee {number}", "text": "Text", **solved("gera")}
        assert client.post("/beteiligung/ideen/limits/neu/", data).status_code == 302
    response = client.post("/en/beteiligung/ideen/limits/neu/", {"title": "Idee 3", "text": "Text", **solved("gera")})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Too many requests" in page and "please wait" in page and "Nothing you sent before has been lost." in page
    german = client.post("/beteiligung/ideen/limits/neu/", {"title": "Idee 4", "text": "Text", **solved("gera")})
    assert german.status_code == 429 and "Zu viele Anfragen" in german.content.decode()
    with schema_context("gera"):
        assert sorted(Idea.objects.values_list("title", flat=True)) == ["Idee 0", "Idee 1"]
    # Another account is not affected by this account's limit.
    other = logged_in(HOST, citizen("gera", "Andere"))
    assert (
        other.post("/beteiligung/ideen/limits/neu/", {"title": "Idee 5", "text": "T", **solved("gera")}).status_code
        == 302
    )


def test_rate_limit_per_network_address_for_sign_ups(gera: Any) -> None:
    with schema_context("gera"):
        ParticipationSettings.objects.update_or_create(defaults={"sign_ups_per_ip": 1})
    client = Client(HTTP_HOST=HOST, REMOTE_ADDR="203.0.113.7")
    data = {"email": "a@example.org", "pseudonym": "Erster", "password": PASSWORD, "password_again": PASSWORD,
            **solved("gera")}  # fmt: skip
    assert client.post("/beteiligung/konto/registrieren/", data).status_code == 200
    again = Client(HTTP_HOST=HOST, REMOTE_ADDR="203.0.113.7").post(
        "/en/beteiligung/konto/registrieren/", {**data, "email": "b@example.org", "pseudonym": "Zweiter"}
    )
    assert again.status_code == 429 and "Too many requests" in again.content.decode()
    elsewhere = Client(HTTP_HOST=HOST, REMOTE_ADDR="198.51.100.9")
    assert (
        elsewhere.post(
            "/beteiligung/konto/registrieren/",
            {**data, "email": "c@example.org", "pseudonym": "Dritter", **solved("gera")},
        ).status_code
        == 200
    )


def test_the_honeypot_refuses_bots_with_a_message(gera: Any) -> None:
    space("gera", Space.Kind.IDEAS, "honig", premoderation=False)
    client = logged_in(HOST, citizen("gera", "Bot"))
    data = {"title": "Billige Uhren", "text": "Kaufen!", **solved("gera"), "website": "http://spam.example"}
    response = client.post("/en/beteiligung/ideen/honig/neu/", data)
    assert response.status_code == 400 and "only automated programs fill in" in response.content.decode()
    with schema_context("gera"):
        assert not Idea.objects.exists()


def test_proof_of_work_is_checked_bound_to_the_municipality_and_used_once(gera: Any, wurzen: Any) -> None:
    with schema_context("gera"):
        challenge = antispam.challenge_issue(bits=8)
        nonce = antispam.solve(challenge)
        wrong = str(next(n for n in range(1000) if not antispam.solution_valid(challenge, str(n)) and str(n) != nonce))
        assert not antispam.solution_valid(challenge, wrong)
        assert not antispam.solution_valid(challenge[:-2] + "xx", nonce)  # forged signature
    with schema_context("wurzen"):
        assert not antispam.solution_valid(challenge, nonce)  # Gera's challenge proves nothing on Wurzen
    with schema_context("gera"):
        assert antispam.solution_valid(challenge, nonce)
        assert not antispam.solution_valid(challenge, nonce)  # spent


def test_forms_render_the_honeypot_hidden_and_a_challenge_of_the_configured_difficulty(gera: Any) -> None:
    with schema_context("gera"):
        ParticipationSettings.objects.update_or_create(defaults={"proof_of_work_bits": 12})
    page = Client(HTTP_HOST=HOST).get("/beteiligung/konto/registrieren/").content.decode()
    assert 'class="hp-field" aria-hidden="true"' in page and 'tabindex="-1"' in page
    challenge = page.split('name="pow_challenge" value="')[1].split('"')[0]
    from django.core import signing

    assert signing.loads(challenge, salt=antispam.CHALLENGE_SALT)["b"] == 12
    assert "noscript" in page  # what happens without JavaScript is said
