"""Participation accounts extend the citizen accounts: pseudonym public, real name never shown, GDPR self-service."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from participation import services
from participation.models import Idea, Participant, Report, Space
from tests.applications.conftest import last_link
from tests.participation.conftest import PASSWORD, category, citizen, logged_in, solved, space

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"


def test_sign_up_with_pseudonym_verifies_the_address_and_hides_the_real_name(gera: Any) -> None:
    client = Client(HTTP_HOST=HOST)
    data = {"email": "Erika@Example.org", "pseudonym": "Geraerin", "real_name": "Erika Mustermann",
            "password": PASSWORD, "password_again": PASSWORD, **solved("gera")}  # fmt: skip
    response = client.post("/beteiligung/konto/registrieren/", data)
    assert response.status_code == 200 and "erika@example.org" in response.content.decode()
    with schema_context("gera"):
        user = User.objects.get(username="erika@example.org")
        assert not user.is_active and user.participant.pseudonym == "Geraerin"
    activation = last_link("/antraege/konto/aktivieren/")
    assert "next=%2Fbeteiligung%2F" in activation
    response = client.get(activation)
    assert response.status_code == 302 and response["Location"] == "/beteiligung/"
    ideas = space("gera", Space.Kind.IDEAS, "ideen", premoderation=False)
    client.post("/beteiligung/ideen/ideen/neu/", {"title": "Öffentliches WLAN", "text": "Am Markt.", **solved("gera")})
    with schema_context("gera"):
        idea = Idea.objects.get(space=ideas)
    page = Client(HTTP_HOST=HOST).get(f"/beteiligung/ideen/ideen/{idea.pk}/").content.decode()
    assert "Geraerin" in page and "Mustermann" not in page and "erika@example.org" not in page
    # The same account files applications: one account per municipality.
    assert client.get("/antraege/").status_code == 200


def test_a_taken_pseudonym_is_refused_and_nothing_is_created(gera: Any) -> None:
    citizen("gera", "Vergeben")
    data = {"email": "neu@example.org", "pseudonym": "vergeben", "password": PASSWORD, "password_again": PASSWORD,
            **solved("gera")}  # fmt: skip
    mail.outbox.clear()
    response = Client(HTTP_HOST=HOST).post("/en/beteiligung/konto/registrieren/", data)
    assert response.status_code == 400 and "This pseudonym is taken" in response.content.decode()
    assert mail.outbox == []  # no activation link for an account that was not created
    with schema_context("gera"):
        assert not User.objects.filter(username="neu@example.org").exists()


def test_an_applications_account_chooses_a_pseudonym_before_taking_part(gera: Any) -> None:
    with schema_context("gera"):
        user = User.objects.create_user("antrag@example.org", "antrag@example.org", PASSWORD)
    client = logged_in(HOST, user)
    response = client.get("/beteiligung/maengel/melden/")
    assert response.status_code == 302 and response["Location"].startswith("/beteiligung/konto/?next=")
    response = client.post(response["Location"], {"pseudonym": "Antragstellerin", "real_name": ""})
    assert response.status_code == 302 and response["Location"] == "/beteiligung/maengel/melden/"
    with schema_context("gera"):
        assert Participant.objects.get(user=user).pseudonym == "Antragstellerin"


def test_download_my_data_and_delete_my_account(gera: Any) -> None:
    author = citizen("gera", "Loeschbar", real_name="Lena Löschbar")
    cat = category("gera")
    with schema_context("gera"):
        report = services.report_file(participant=author, category=cat, description="Bank kaputt", address="Park",
                                      contact_allowed=True, contact_phone="0365 99999")  # fmt: skip
        services.moderation_approve(item=report, actor=None)
    client = logged_in(HOST, author)
    download = client.get("/beteiligung/konto/meine-daten.json")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    data = json.loads(download.content)
    assert data["account"]["email"] == "loeschbar@example.org"
    assert data["participation"]["real_name"] == "Lena Löschbar"
    assert data["reports"][0]["description"] == "Bank kaputt" and data["reports"][0]["contact_phone"] == "0365 99999"

    assert client.post("/beteiligung/konto/loeschen/", {}).status_code == 302  # not confirmed: nothing happens
    with schema_context("gera"):
        assert User.objects.filter(username="loeschbar@example.org").exists()
    response = client.post("/beteiligung/konto/loeschen/", {"confirm": "on"})
    assert response.status_code == 302
    with schema_context("gera"):
        assert not User.objects.filter(username="loeschbar@example.org").exists()
        assert not Participant.objects.filter(pseudonym="Loeschbar").exists()
        kept = Report.objects.get(pk=report.pk)
        assert kept.author is None and kept.contact_phone == "" and not kept.contact_allowed
    page = Client(HTTP_HOST=HOST).get(f"/en/beteiligung/maengel/{report.pk}/").content.decode()
    assert "Bank kaputt" in page and "deleted account" in page and "Loeschbar" not in page
