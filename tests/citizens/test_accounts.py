"""Citizen accounts: verified before use, per municipality, and the applications follow the account."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from applications.models import Application
from services_catalog.local.models import LocalService
from tests.applications.conftest import last_link
from tests.conftest import without_nonces

pytestmark = pytest.mark.django_db
PASSWORD = "Ein-sicheres-Kennwort-2026"


def _sign_up(client: Client, email: str = "max@example.org") -> str:
    data = {"email": email, "password": PASSWORD, "password_again": PASSWORD}
    response = client.post("/antraege/konto/registrieren/", data)
    assert response.status_code == 200 and 'id="id_email' not in response.content.decode()
    return last_link("/antraege/konto/aktivieren/")


def test_account_is_verified_then_files_without_a_magic_link(gera_parking: LocalService) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    activation = _sign_up(client)
    assert (
        client.post("/antraege/konto/anmelden/", {"username": "max@example.org", "password": PASSWORD}).status_code
        == 200
    )
    assert client.get(activation).status_code == 302  # activates and logs in
    response = client.get("/antraege/bewohnerparkausweis/")
    assert response.status_code == 302 and "/schritt/0/" in response["Location"]
    with schema_context("gera"):
        draft = Application.objects.get(applicant_email="max@example.org")
        assert draft.applicant is not None and draft.applicant.username == "max@example.org"
    client.post("/antraege/konto/abmelden/")
    assert client.get(response["Location"]).status_code == 404
    again = Client(HTTP_HOST="gera.localhost")
    assert (
        again.post("/antraege/konto/anmelden/", {"username": "max@example.org", "password": PASSWORD}).status_code
        == 302
    )
    assert "continue draft" in again.get("/en/antraege/").content.decode()


def test_sign_up_explains_problems_and_keeps_the_address(gera_parking: LocalService) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    response = client.post(
        "/en/antraege/konto/registrieren/", {"email": "max@example.org", "password": "kurz", "password_again": "anders"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "The two passwords differ." in page
    assert 'value="max@example.org"' in page
    with schema_context("gera"):
        assert not User.objects.filter(username="max@example.org").exists()


def test_a_gera_account_is_nothing_on_wurzen(gera_parking: LocalService, wurzen: object) -> None:
    activation = _sign_up(Client(HTTP_HOST="gera.localhost"))
    wurzen_client = Client(HTTP_HOST="wurzen.localhost")
    assert wurzen_client.get(activation).status_code == 400
    login = {"username": "max@example.org", "password": PASSWORD}
    assert wurzen_client.post("/antraege/konto/anmelden/", login).status_code == 200
    with schema_context("wurzen"):
        assert not User.objects.filter(username="max@example.org").exists()


def test_sign_up_does_not_reveal_existing_accounts(gera_parking: LocalService) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    _sign_up(client)
    data = {"email": "max@example.org", "password": PASSWORD + "x", "password_again": PASSWORD + "x"}
    second = client.post("/antraege/konto/registrieren/", data)
    first_page = client.post(
        "/antraege/konto/registrieren/",
        {"email": "neu@example.org", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert second.status_code == first_page.status_code == 200
    assert without_nonces(second.content.decode().replace("max@", "neu@")) == without_nonces(
        first_page.content.decode()
    )
    assert "/antraege/konto/anmelden/" in mail.outbox[-2].body  # the owner is told to log in
    with schema_context("gera"):
        assert User.objects.filter(username="max@example.org").count() == 1
