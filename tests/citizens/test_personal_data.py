"""'My data' and deletion of a citizen account cover every capability (GDPR Art. 15/17/20)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django_tenants.utils import schema_context

from applications.models import Application
from tests.applications.conftest import file_dog, offer
from tests.participation.conftest import citizen, logged_in

pytestmark = pytest.mark.django_db


def _filed_by(schema: str, user: User) -> Application:
    with schema_context(schema):
        application = file_dog(email=user.email)
        Application.objects.filter(pk=application.pk).update(applicant=user)
        return Application.objects.get(pk=application.pk)


def test_my_data_includes_the_applications_of_the_account(gera: Any, wurzen: Any) -> None:
    offer("gera", "hundesteuer-anmeldung")
    offer("wurzen", "hundesteuer-anmeldung")
    author = citizen("gera", "Datenfreundin", "daten@example.org")
    own = _filed_by("gera", author.user)
    with schema_context("wurzen"):  # the same address in another municipality is another person's record
        User.objects.create_user("daten@example.org", "daten@example.org", "Kennwort-Wurzen-2026")
        foreign = file_dog(email="daten@example.org")

    download = logged_in("gera.localhost", author).get("/beteiligung/konto/meine-daten.json")

    assert download.status_code == 200
    data = json.loads(download.content)
    assert data["participation"]["pseudonym"] == "Datenfreundin"
    references = [application["reference"] for application in data["applications"]]
    assert references == [own.reference] and foreign.reference not in references
    exported = data["applications"][0]
    assert exported["data"]["hundename"] == "Bello" and exported["status"] == own.status
    assert exported["history"] and all(change["to"] for change in exported["history"])


def test_deleting_the_account_detaches_applications_and_keeps_them(gera: Any) -> None:
    offer("gera", "hundesteuer-anmeldung")
    author = citizen("gera", "Abschied", "abschied@example.org")
    application = _filed_by("gera", author.user)

    response = logged_in("gera.localhost", author).post(
        "/beteiligung/konto/loeschen/", {"confirm": "on", "next": "/beteiligung/"}
    )

    assert response.status_code == 302 and response["Location"] == "/beteiligung/"
    with schema_context("gera"):
        assert not User.objects.filter(username="abschied@example.org").exists()
        kept = Application.objects.get(pk=application.pk)
        assert kept.applicant is None and kept.reference == application.reference
