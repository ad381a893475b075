"""Wurzen's moderators and hosts see nothing of Gera's participation: reports, ideas, queue, photos, API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from participation import services
from participation.models import Space
from tests.participation.conftest import PASSWORD, category, citizen, jpeg_with_gps, logged_in, moderator, space

pytestmark = pytest.mark.django_db


def test_wurzens_moderators_see_nothing_of_gera(gera: Any, wurzen: Any) -> None:
    author = citizen("gera", "Geraer")
    cat = category("gera")
    ideas = space("gera", Space.Kind.IDEAS, "gera-ideen")
    with schema_context("gera"):
        published = services.report_file(
            participant=author, category=cat, description="Geraer Schlagloch", address="Sorge 1",
            photos=[SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")],
        )  # fmt: skip
        services.moderation_approve(item=published, actor=None)
        pending = services.report_file(participant=author, category=cat, description="Geraer Wartend", address="Markt")
        idea = services.idea_propose(participant=author, space=ideas, title="Geraer Idee", text="…")
        photo = published.photos.get()
    moderator("gera", "mod-gera")
    wurzen_mod = moderator("wurzen", "mod-wurzen")
    space("wurzen", Space.Kind.IDEAS, "wurzen-ideen")

    wurzen_staff = logged_in("wurzen.localhost", wurzen_mod)
    for url in ("/cms/beteiligung/moderation/", "/cms/beteiligung/meldungen/", "/cms/beteiligung/ideen/",
                "/cms/beteiligung/teilnehmende/", "/cms/beteiligung/protokoll/"):  # fmt: skip
        page = wurzen_staff.get(url)
        assert page.status_code == 200, url
        assert "Geraer" not in page.content.decode(), url
    for url in (f"/cms/beteiligung/moderation/report/{pending.pk}/", f"/cms/beteiligung/moderation/idea/{idea.pk}/",
                f"/cms/beteiligung/meldungen/{published.pk}/"):  # fmt: skip
        assert wurzen_staff.get(url).status_code == 404, url
    response = wurzen_staff.post(f"/cms/beteiligung/moderation/report/{pending.pk}/aktion/", {"action": "approve"})
    assert response.status_code == 404
    with schema_context("gera"):
        pending.refresh_from_db()
        assert not pending.is_public

    wurzen_public = Client(HTTP_HOST="wurzen.localhost")
    for url in (f"/beteiligung/maengel/{published.pk}/", f"/beteiligung/maengel/{published.pk}/fotos/{photo.pk}/",
                f"/beteiligung/ideen/gera-ideen/{idea.pk}/"):  # fmt: skip
        assert wurzen_public.get(url).status_code == 404, url
        assert wurzen_staff.get(url).status_code == 404, url
    for url in ("/api/v1/reports", "/api/v1/reports?format=csv", "/api/v1/ideas", "/beteiligung/maengel/"):
        assert "Geraer" not in wurzen_public.get(url).content.decode(), url
    assert "Geraer Schlagloch" in Client(HTTP_HOST="gera.localhost").get("/api/v1/reports").content.decode()

    # Gera's moderator cannot log into Wurzen's /cms/, and a Gera citizen is nobody on Wurzen.
    login = Client(HTTP_HOST="wurzen.localhost").post("/cms/login/", {"username": "mod-gera", "password": PASSWORD})
    assert login.status_code == 200
    assert logged_in("gera.localhost", author).get("/beteiligung/maengel/melden/").status_code == 200
    assert (
        Client(HTTP_HOST="wurzen.localhost")
        .post("/antraege/konto/anmelden/", {"username": "geraer@example.org", "password": PASSWORD})
        .status_code
        == 200
    )
