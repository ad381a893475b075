"""Mein Konto: every capability's items of the account, the Postfach, the profile and its prefill consent,
password reset, and the login state in the header — per municipality."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, RequestFactory
from django_tenants.utils import schema_context

from amtsplatz.infra import postbox, prefill
from applications import services as application_services
from applications.models import Application
from citizens.models import PostboxMessage
from services_catalog.local.models import LocalService
from tests.applications.conftest import DOG, last_link, offer
from tests.conftest import without_nonces

pytestmark = pytest.mark.django_db
PASSWORD = "Mein-Konto-Kennwort-2026"


def _citizen(schema: str, email: str) -> User:
    with schema_context(schema):
        return User.objects.create_user(email, email, PASSWORD)


def _logged_in(host: str, email: str) -> Client:
    client = Client(HTTP_HOST=host)
    response = client.post("/antraege/konto/anmelden/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _file_dog(schema: str, user: User, django_capture_on_commit_callbacks: Any) -> Application:
    with schema_context(schema):
        service = LocalService.objects.get(definition__key="hundesteuer-anmeldung")
        draft = application_services.draft_start(service=service, email=user.email)
        draft.applicant = user
        draft.data = dict(DOG)
        draft.save()
        with django_capture_on_commit_callbacks(execute=True):
            return application_services.application_submit(draft)


def test_my_account_needs_a_login(gera: Any) -> None:
    answer = Client(HTTP_HOST="gera.localhost").get("/konto/")
    assert answer.status_code == 302 and answer["Location"].startswith("/antraege/konto/anmelden/?next=")


def test_my_account_shows_the_application_and_the_postfach_message_of_its_status(
    gera: Any, wurzen: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    offer("gera", "hundesteuer-anmeldung")
    offer("wurzen", "hundesteuer-anmeldung")
    gera_user = _citizen("gera", "paula@example.org")
    wurzen_user = _citizen("wurzen", "paula@example.org")
    application = _file_dog("gera", gera_user, django_capture_on_commit_callbacks)
    reference = str(application.reference)
    with schema_context("gera"):
        letters = list(PostboxMessage.objects.filter(user=gera_user))
    assert letters and all(reference in letter.subject for letter in letters)
    message = letters[0]
    page = _logged_in("gera.localhost", "paula@example.org").get("/konto/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert reference in html and message.subject in html
    for heading in ("Meine Anträge", "Meine Termine", "Meine Mängelmeldungen", "Meine Ideen", "Postfach"):
        assert heading in html
    # The same address in Wurzen: a different account, none of Gera's items or messages.
    wurzen_page = _logged_in("wurzen.localhost", "paula@example.org").get("/konto/").content.decode()
    assert reference not in wurzen_page and message.subject not in wurzen_page
    with schema_context("wurzen"):
        assert not PostboxMessage.objects.filter(user=wurzen_user).exists()


def test_a_postfach_message_opens_only_for_its_owner(gera: Any) -> None:
    owner = _citizen("gera", "owner@example.org")
    _citizen("gera", "other@example.org")
    with schema_context("gera"):
        postbox.deliver(postbox.Letter(user_id=owner.pk, subject="Ihr Bescheid liegt bereit", body="Guten Tag"))
        message = PostboxMessage.objects.get(user=owner)
    other = _logged_in("gera.localhost", "other@example.org")
    assert other.get(f"/konto/postfach/{message.pk}/").status_code == 404
    mine = _logged_in("gera.localhost", "owner@example.org")
    assert "Guten Tag" in mine.get(f"/konto/postfach/{message.pk}/").content.decode()
    with schema_context("gera"):
        message.refresh_from_db()
        assert message.read_at is not None
    assert Client(HTTP_HOST="wurzen.localhost").get(f"/konto/postfach/{message.pk}/").status_code == 302


def test_profile_prefills_forms_only_with_consent(gera: Any) -> None:
    user = _citizen("gera", "prefill@example.org")
    client = _logged_in("gera.localhost", "prefill@example.org")
    details = {"given_name": "Paula", "family_name": "Meier", "birth_date": "1990-04-01", "street": "Markt 1",
               "postcode": "07545", "city": "Gera"}  # fmt: skip
    assert client.post("/konto/", {**details, "postcode": "7545"}).status_code == 400
    assert client.post("/konto/", details).status_code == 302
    request = RequestFactory().get("/")
    request.user = user
    with schema_context("gera"):
        assert prefill.values(request) == {}  # stored, but not allowed for forms
    assert client.post("/konto/", {**details, "prefill_allowed": "on"}).status_code == 302
    with schema_context("gera"):
        assert prefill.values(request) == {
            "person.given_name": "Paula", "person.family_name": "Meier", "person.date_of_birth": "1990-04-01",
            "address.street": "Markt 1", "address.postcode": "07545", "address.city": "Gera",
        }  # fmt: skip
    with schema_context("wurzen"):
        assert prefill.values(request) == {}


def test_a_new_draft_is_prefilled_from_the_profile_and_the_citizen_may_change_it(gera: Any) -> None:
    offer("gera", "hundesteuer-anmeldung")
    user = _citizen("gera", "entwurf@example.org")
    client = _logged_in("gera.localhost", "entwurf@example.org")
    details = {"given_name": "Paula", "family_name": "Meier", "birth_date": "1990-04-01", "street": "Markt 1",
               "postcode": "07545", "city": "Gera", "prefill_allowed": "on"}  # fmt: skip
    assert client.post("/konto/", details).status_code == 302
    assert client.get("/antraege/hundesteuer-anmeldung/").status_code == 302  # the draft starts at once
    with schema_context("gera"):
        draft = Application.objects.get(applicant_email=user.email)
        schema = draft.version.form_schema or {"groups": []}
        keyed = {
            spec["semantic"]: spec["id"]
            for group in schema["groups"] for spec in group.get("fields", []) if spec.get("semantic")
        }  # fmt: skip
        assert keyed, "the dog tax form asks for the person"
        assert draft.data[keyed["person.family_name"]] == "Meier"
        assert draft.verified == {}  # the citizen's own entries, not confirmed by an identity provider


def test_password_reset_same_answer_link_works_once_and_only_here(gera: Any, wurzen: Any) -> None:
    _citizen("gera", "vergesslich@example.org")
    _citizen("wurzen", "vergesslich@example.org")
    client = Client(HTTP_HOST="gera.localhost")
    assert client.get("/konto/passwort-vergessen/").status_code == 200
    unknown = client.post("/konto/passwort-vergessen/", {"email": "niemand@example.org"})
    assert len(mail.outbox) == 0
    known = client.post("/konto/passwort-vergessen/", {"email": "vergesslich@example.org"})
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 200
    assert without_nonces(known.content.decode().replace("vergesslich", "niemand")) == without_nonces(
        unknown.content.decode()
    )
    link = last_link("/konto/passwort/")
    assert Client(HTTP_HOST="wurzen.localhost").get(link).status_code == 400  # Gera's link means nothing there
    new = {"new_password1": "Neues-Kennwort-2026!", "new_password2": "Neues-Kennwort-2026!"}
    assert client.post(link, new).status_code == 302
    assert client.post(link, new).status_code == 400  # used
    assert (
        client.post(
            "/antraege/konto/anmelden/", {"username": "vergesslich@example.org", "password": "Neues-Kennwort-2026!"}
        ).status_code
        == 302
    )
    assert _logged_in("wurzen.localhost", "vergesslich@example.org")  # Wurzen's password unchanged


def test_password_reset_requests_are_rate_limited(gera: Any) -> None:
    client = Client(HTTP_HOST="gera.localhost")
    answers = [client.post("/konto/passwort-vergessen/", {"email": "ziel@example.org"}).status_code for _n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_header_shows_the_login_state_without_leaking_it_into_the_page_cache(gera: Any, settings: Any) -> None:
    settings.AMTSPLATZ_PAGE_CACHE_SECONDS = 60
    _citizen("gera", "kopfzeile@example.org")
    citizen = _logged_in("gera.localhost", "kopfzeile@example.org")
    page = citizen.get("/")
    assert "kopfzeile@example.org" in page.content.decode() and "Mein Konto" in page.content.decode()
    assert "X-Page-Cache" not in page
    anonymous = Client(HTTP_HOST="gera.localhost")
    first, second = anonymous.get("/"), anonymous.get("/")
    assert second["X-Page-Cache"] == "hit"
    for answer in (first, second):
        assert "kopfzeile@example.org" not in answer.content.decode()
        assert "/antraege/konto/anmelden/" in answer.content.decode()


def test_reports_ideas_and_appointments_of_gera_never_show_on_wurzen(gera: Any, wurzen: Any) -> None:
    from appointments.models import Booking
    from participation.models import Idea, Report, Space
    from tests.appointments.conftest import at, calendar, next_weekday
    from tests.participation.conftest import category, citizen, space

    gera_citizen = citizen("gera", "Schlaglochjaegerin", "jaegerin@example.org")
    wurzen_citizen = citizen("wurzen", "Schlaglochjaegerin", "jaegerin@example.org")
    reports_space = space("gera", Space.Kind.REPORTS, "maengel-konto")
    ideas_space = space("gera", Space.Kind.IDEAS, "ideen-konto")
    office_calendar = calendar("gera", "Bürgerbüro Konto")
    with schema_context("gera"):
        Report.objects.create(
            author=gera_citizen, space=reports_space, category=category("gera"), description="Loch", address="Sorge 7"
        )
        Idea.objects.create(author=gera_citizen, space=ideas_space, title="Mehr Bänke am Fluss", text="Bitte.")
        Booking.objects.create(
            calendar=office_calendar,
            status=Booking.Status.CONFIRMED,
            start=at(next_weekday(1), 9),
            citizen_id=gera_citizen.user_id,
            email="jaegerin@example.org",
        )
    with schema_context("gera"):
        gera_client = Client(HTTP_HOST="gera.localhost")
        gera_client.force_login(gera_citizen.user)
    gera_page = gera_client.get("/konto/").content.decode()
    for expected in ("Sorge 7", "Mehr Bänke am Fluss", "Bürgerbüro Konto"):
        assert expected in gera_page
    with schema_context("wurzen"):
        wurzen_client = Client(HTTP_HOST="wurzen.localhost")
        wurzen_client.force_login(wurzen_citizen.user)
    wurzen_page = wurzen_client.get("/konto/").content.decode()
    assert "Meine Ideen" in wurzen_page
    for foreign in ("Sorge 7", "Mehr Bänke am Fluss", "Bürgerbüro Konto"):
        assert foreign not in wurzen_page
