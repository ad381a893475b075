"""Trust levels enforced and once-only prefill, with real BundID logins at the TEST IdP.

The Meldebescheinigung of the seed catalogue needs "substantial"; its person fields carry semantic keys.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context

from applications import handover, services
from applications.models import Application
from citizens.models import Identity
from services_catalog.local.models import LocalService
from tests.applications.conftest import caseworker, last_link, offer
from tests.citizens.identity_providers import bundid_setup, idp_answer, post_answer, saml_idp

__all__ = ["saml_idp"]
pytestmark = pytest.mark.django_db
SERVICE = "meldebescheinigung"


@pytest.fixture
def gera_certificate(gera: Any, saml_idp: str) -> str:
    offer("gera", SERVICE)
    bundid_setup("gera", "gera.localhost", saml_idp)
    return saml_idp


def _password_citizen(client: Client) -> None:
    with schema_context("gera"):
        User.objects.create_user("paula@example.org", "paula@example.org", "Kennwort-Paula-2026")
    logged_in = client.post(
        "/antraege/konto/anmelden/", {"username": "paula@example.org", "password": "Kennwort-Paula-2026"}
    )
    assert logged_in.status_code == 302


def _eid_draft(client: Client, idp: str) -> tuple[Application, str]:
    """Log in with BundID from the service's start page; the draft it opens and the URL of its first step."""
    asked = client.get(f"/antraege/{SERVICE}/")
    assert asked.status_code == 302 and asked["Location"].startswith("/konto/sicherer-anmelden/")
    query = {key: values[0] for key, values in parse_qs(urlsplit(asked["Location"]).query).items()}
    assert query["level"] == "substantial" and query["next"] == f"/antraege/{SERVICE}/"
    assert query["attributes"].split(",") == [
        "person.given_name",
        "person.family_name",
        "person.date_of_birth",
        "address.street",
        "address.postcode",
        "address.city",
        "contact.email",
    ]  # only what the form asks for, and the reply address
    page = client.get(asked["Location"]).content.decode()
    assert "BundID" in page and "/antraege/konto/anmelden/" not in page.split("<main")[-1]  # no password button
    start = page.split('href="/konto/bundid/anmelden/?')[1].split('"')[0].replace("&amp;", "&")
    back = post_answer(client, idp_answer(client, idp, start=f"/konto/bundid/anmelden/?{start}"))
    assert back["Location"] == f"/antraege/{SERVICE}/"
    opened = client.get(back["Location"])
    assert opened.status_code == 302, opened.content
    with schema_context("gera"):
        draft = Application.objects.get(service__definition__key=SERVICE, status="draft")
    return draft, opened["Location"]


def test_a_substantial_service_refuses_a_password_login_and_accepts_an_eid_login(
    gera_client: Client, gera_certificate: str
) -> None:
    _password_citizen(gera_client)
    refused = gera_client.get(f"/antraege/{SERVICE}/")
    assert refused.status_code == 302 and refused["Location"].startswith("/konto/sicherer-anmelden/?")
    with schema_context("gera"):
        assert not Application.objects.filter(service__definition__key=SERVICE).exists()
    draft, step = _eid_draft(gera_client, gera_certificate)
    assert draft.auth_method == "bundid" and draft.auth_level == "substantial"
    assert draft.verified == {
        "vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "1964-08-12",
        "strasse": "Heidestraße 17", "plz": "07545", "ort": "Gera",
    }  # fmt: skip
    assert draft.data["vorname"] == "Erika"
    form = gera_client.get(step).content.decode()
    assert 'name="vorname"' in form and "disabled" in form.split('name="vorname"')[1].split(">")[0]
    assert gera_client.post(step, {"action": "next"}).status_code == 302  # verified fields are not posted
    second = step.replace("/schritt/0/", "/schritt/1/")
    assert gera_client.post(second, {"action": "next", "art": "einfach"}).status_code == 302
    submitted = gera_client.post(f"/antraege/entwurf/{draft.public_id}/pruefen/", {"idempotency_key": "eid-1"})
    assert submitted.status_code == 302, submitted.content
    with schema_context("gera"):
        filed = Application.objects.get(pk=draft.pk)
        assert filed.reference and filed.auth_level == "substantial"
        payload = handover.payload(filed)
    assert payload["amtsplatz"]["authentication"] == {
        "method": "bundid", "trustLevel": "substantial",
        "verifiedFields": ["geburtsdatum", "nachname", "ort", "plz", "strasse", "vorname"],
    }  # fmt: skip


def test_a_forged_post_of_a_verified_field_is_refused(gera_client: Client, gera_certificate: str) -> None:
    draft, step = _eid_draft(gera_client, gera_certificate)
    forged = gera_client.post(step, {"action": "next", "vorname": "Eve", "nachname": "Mustermann"})
    assert forged.status_code == 400
    with schema_context("gera"):
        kept = Application.objects.get(pk=draft.pk)
        assert kept.data["vorname"] == "Erika" and kept.step == 0
        kept.data["vorname"] = "Eve"  # even changed behind the form's back, submission refuses it
        with pytest.raises(services.VerifiedValueChanged):
            services.draft_save_step(kept, group={"id": "person", "fields": []}, answers={"vorname": "Eve"},
                                     uploads={}, step=0)  # fmt: skip


def test_the_draft_asks_again_when_the_eid_session_is_gone(gera_client: Client, gera_certificate: str) -> None:
    """Back from a stronger login, the citizen lands on the same draft; without it the draft asks for one."""
    _draft, step = _eid_draft(gera_client, gera_certificate)
    session = gera_client.session
    session["citizens_authentication"] = {**session["citizens_authentication"], "level": "low"}
    session.save()
    asked = gera_client.get(step)
    assert asked.status_code == 302 and asked["Location"].startswith("/konto/sicherer-anmelden/")
    assert parse_qs(urlsplit(asked["Location"]).query)["next"] == [step]


def test_the_api_refuses_a_substantial_service(gera_client: Client, gera_certificate: str) -> None:
    gera_client.post("/api/v1/email-verifications", {"email": "erika@example.org"}, content_type="application/json")
    token = last_link("/antraege/e-mail/").split("/antraege/e-mail/")[1].split("/")[0]
    body = {"service": SERVICE, "data": {"vorname": "Erika", "nachname": "M", "geburtsdatum": "1964-08-12",
            "strasse": "Sorge 1", "plz": "07545", "ort": "Gera", "art": "einfach"}}  # fmt: skip
    refused = gera_client.post(
        "/api/v1/applications", json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert refused.status_code == 403, refused.content
    assert "trust level" in refused.json()["detail"] or "Vertrauensniveau" in refused.json()["detail"]
    with schema_context("gera"):
        assert not Application.objects.filter(service__definition__key=SERVICE).exists()


def test_caseworkers_see_the_login_and_the_verified_values(gera_client: Client, gera_certificate: str) -> None:
    draft, step = _eid_draft(gera_client, gera_certificate)
    gera_client.post(step, {"action": "next"})
    gera_client.post(step.replace("/schritt/0/", "/schritt/1/"), {"action": "next", "art": "einfach"})
    gera_client.post(f"/antraege/entwurf/{draft.public_id}/pruefen/", {"idempotency_key": "eid-2"})
    with schema_context("gera"):
        service = LocalService.objects.get(definition__key=SERVICE)
        worker = caseworker("gera", "melde", service)
    staff = Client(HTTP_HOST="gera.localhost")
    staff.force_login(worker)
    page = staff.get(f"/cms/antraege/{draft.public_id}/").content.decode()
    assert "BundID" in page and "substantial" in page and "Vorname" in page.split("eID")[-1]


def test_linking_needs_both_logins_and_the_last_login_stays(gera_client: Client, gera_certificate: str) -> None:
    _password_citizen(gera_client)
    linking = gera_client.post("/konto/anmeldungen/bundid/verknuepfen/")
    assert linking.status_code == 302
    back = post_answer(gera_client, idp_answer(gera_client, gera_certificate, start=linking["Location"]))
    assert back.status_code == 302
    with schema_context("gera"):
        paula = User.objects.get(username="paula@example.org")
        assert sorted(paula.identities.values_list("method", flat=True)) == ["bundid", "password"]
        password = paula.identities.get(method="password")
        bundid = paula.identities.get(method="bundid")
    assert gera_client.post("/konto/anmeldungen/", {"unlink": password.pk}).status_code == 302
    refused = gera_client.post("/konto/anmeldungen/", {"unlink": bundid.pk})
    assert refused.status_code == 400
    with schema_context("gera"):
        assert list(Identity.objects.filter(user__username="paula@example.org").values_list("method", flat=True)) == [
            "bundid"
        ]
        assert not User.objects.get(username="paula@example.org").has_usable_password()
    data = json.loads(gera_client.get("/beteiligung/konto/meine-daten.json").content)
    assert [identity["method"] for identity in data["account"]["identities"]] == ["bundid"]


def test_an_eid_answer_below_the_requested_level_does_not_open_the_service(
    gera_client: Client, gera_certificate: str
) -> None:
    start = f"/konto/bundid/anmelden/?next=/antraege/{SERVICE}/&level=substantial"
    back = post_answer(gera_client, idp_answer(gera_client, gera_certificate, start=start, level="STORK-QAA-Level-1"))
    assert back.status_code == 302
    assert gera_client.session["citizens_authentication"]["level"] == "low"
    asked = gera_client.get(f"/antraege/{SERVICE}/")
    assert asked.status_code == 302 and asked["Location"].startswith("/konto/sicherer-anmelden/")
    with schema_context("gera"):
        assert not Application.objects.filter(service__definition__key=SERVICE).exists()
