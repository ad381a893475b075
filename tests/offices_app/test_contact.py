"""The contact form: per office and general, mails after commit (each once), refusals without storing, limits,
isolation between municipalities, the /cms/ listing with its permissions, retention and personal data."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from amtsplatz.infra import antispam
from offices import personal_data, services, tasks
from offices.forms import CONTACT_POW_SALT
from offices.models import CONTACT_RETENTION_DAYS, ContactRequest, Office
from tenants.models import Municipality
from tests.offices_app.conftest import office

pytestmark = pytest.mark.django_db
FORM = "/dienststellen/buergerbuero/kontakt/"


@pytest.fixture
def gera_office(gera: Municipality) -> Office:
    with schema_context("gera"):
        return office("buergerbuero", "Bürgerbüro Gera", email="buergerbuero@gera.example", phone="0365 838-0")


def _client(schema: str = "gera") -> Client:
    """A visitor of its own network address: the per-device counters outlive each test's transaction (Redis)."""
    return Client(HTTP_HOST=f"{schema}.localhost", REMOTE_ADDR=f"2001:db8::{uuid.uuid4().hex[:4]}")


def _fields(client: Client, url: str, *, solved: bool = True) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    challenge = re.search(r'name="pow_challenge" value="([^"]+)"', page.content.decode())
    assert challenge
    nonce = antispam.solve(challenge.group(1), salt=CONTACT_POW_SALT) if solved else ""
    return {"pow_challenge": challenge.group(1), "pow_nonce": nonce, "website": ""}


def _message(**extra: str) -> dict[str, str]:
    return {"name": "Erika Muster", "email": "erika@example.org", "subject": "Sperrmüll",
            "message": "Wann wird in der Bahnhofstraße abgeholt?", "consent": "on", **extra}  # fmt: skip


def _stored(schema: str) -> int:
    with schema_context(schema):
        return ContactRequest.objects.count()


def test_a_message_reaches_the_office_and_the_citizen_gets_a_reference(
    gera_office: Office, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    gera_client = _client()
    page = gera_client.get(FORM)
    body = page.content.decode()
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert '<label for="id_email">' in body and 'name="website"' in body and "data-pow" in body
    with django_capture_on_commit_callbacks(execute=True):
        sent = gera_client.post(FORM, {**_fields(gera_client, FORM), **_message()})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    with schema_context("gera"):
        contact = ContactRequest.objects.get()
    assert contact.office == gera_office and contact.office_mailed_at and contact.confirmation_mailed_at
    confirmation_page = gera_client.get(sent["Location"]).content.decode()
    assert contact.reference in confirmation_page and "Bürgerbüro Gera" in confirmation_page
    to_office, to_citizen = mail.outbox
    assert to_office.to == ["buergerbuero@gera.example"] and to_office.reply_to == ["erika@example.org"]
    assert contact.reference in to_office.subject and "Bahnhofstraße" in to_office.body
    assert to_citizen.to == ["erika@example.org"] and contact.reference in to_citizen.body
    # The address typed into the form is not verified: the citizen's mail never repeats the text sent.
    assert "Bahnhofstraße" not in to_citizen.body and "Sperrmüll" not in to_citizen.body
    with schema_context("gera"):
        assert services.contact_mails_send(request_id=contact.pk) == 0  # a redelivered task sends nothing twice
    assert len(mail.outbox) == 2


def test_the_question_and_service_of_an_answer_card_travel_along(
    gera_registers_vehicles: Office, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    gera_client = _client()
    url = "/dienststellen/kfz-zulassung/kontakt/?frage=Wo+melde+ich+mein+Auto+an%3F&leistung=testzulassung"
    body = gera_client.get(url).content.decode()
    assert "Testzulassung" in body and "Wo melde ich mein Auto an?" in body
    with django_capture_on_commit_callbacks(execute=True):
        sent = gera_client.post(url, {**_fields(gera_client, url), **_message(
            frage="Wo melde ich mein Auto an?", leistung="testzulassung")})  # fmt: skip
    assert sent.status_code == 302
    with schema_context("gera"):
        contact = ContactRequest.objects.get()
    assert (contact.service_key, contact.question) == ("testzulassung", "Wo melde ich mein Auto an?")
    refused = gera_client.get("/dienststellen/kfz-zulassung/kontakt/?leistung=gibt-es-nicht")
    assert refused.status_code == 400 and 'value="gibt-es-nicht"' not in refused.content.decode()


def test_the_general_form_lets_the_citizen_choose_an_office(
    gera_office: Office, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    gera_client = _client()
    url = "/kontaktformular/"
    body = gera_client.get(url).content.decode()
    assert '<option value="buergerbuero">Bürgerbüro Gera</option>' in body
    with django_capture_on_commit_callbacks(execute=True):
        general = gera_client.post(url, {**_fields(gera_client, url), **_message(buero="")})
        chosen = gera_client.post(url, {**_fields(gera_client, url), **_message(buero="buergerbuero")})
    assert general.status_code == chosen.status_code == 302
    with schema_context("gera"):
        assert list(ContactRequest.objects.order_by("created").values_list("office__slug", flat=True)) == [
            None, "buergerbuero"
        ]  # fmt: skip
    # Without an office the message goes to the municipality's general address (its Impressum's here).
    assert mail.outbox[0].to == ["stadt@gera.example"] and mail.outbox[2].to == ["buergerbuero@gera.example"]
    unknown = gera_client.post(url, {**_fields(gera_client, url), **_message(buero="nirgendwo")})
    assert unknown.status_code == 400 and _stored("gera") == 2


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", "Bitte geben Sie Ihre E-Mail-Adresse an"), ("/en", "Please enter your e-mail address")],
)
def test_bad_input_is_shown_with_linked_messages_and_nothing_is_stored(
    gera_office: Office, prefix: str, expected: str
) -> None:
    gera_client = _client()
    url = prefix + FORM
    refused = gera_client.post(url, {**_fields(gera_client, url), **_message(email="", consent="")})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'class="error-summary" role="alert"' in body and '<a href="#id_email">' in body and expected in body
    assert 'aria-describedby="id_email_helptext id_email_error"' in body and 'id="id_email_error"' in body
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in body
    assert 'value="Erika Muster"' in body  # what was typed stays
    tampered = gera_client.post(url, {**_fields(gera_client, url), **_message(leistung="<script>")})
    assert tampered.status_code == 400
    too_long = gera_client.post(url, {**_fields(gera_client, url), **_message(message="x" * 5001)})
    assert too_long.status_code == 400
    assert _stored("gera") == 0


def test_bots_and_floods_are_refused(gera_office: Office) -> None:
    gera_client = _client()
    honeypot = gera_client.post(FORM, {**_fields(gera_client, FORM), **_message(), "website": "https://spam.example"})
    assert honeypot.status_code == 400 and _stored("gera") == 0
    # Without JavaScript (no solved challenge) two messages an hour from one address, then 429 with the form.
    for _attempt in range(2):
        assert gera_client.post(FORM, {**_fields(gera_client, FORM, solved=False), **_message()}).status_code == 302
    limited = gera_client.post(FORM, {**_fields(gera_client, FORM, solved=False), **_message()})
    assert limited.status_code == 429 and "error-summary" in limited.content.decode()
    assert _stored("gera") == 2


def test_one_inbox_gets_a_few_confirmations_an_hour_at_most(gera_office: Office) -> None:
    for _visitor in range(5):
        client = _client()
        assert client.post(FORM, {**_fields(client, FORM), **_message()}).status_code == 302
    other = _client()
    refused = other.post(FORM, {**_fields(other, FORM), **_message()})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert _stored("gera") == 5


def test_offices_and_requests_of_one_municipality_stay_there(
    gera_office: Office,
    wurzen: Municipality,
) -> None:
    gera_client = _client()
    wurzen_client = _client("wurzen")
    with schema_context("wurzen"):
        office("rathaus", "Rathaus Wurzen", postcode="04808")
    assert wurzen_client.get(FORM).status_code == 404  # Gera's office, asked for on Wurzen's host
    assert "Bürgerbüro Gera" not in wurzen_client.get("/kontaktformular/").content.decode()
    sent = gera_client.post(FORM, {**_fields(gera_client, FORM), **_message(subject="Nur für Gera")})
    assert sent.status_code == 302
    assert wurzen_client.get(sent["Location"]).status_code == 404  # Gera's confirmation link on Wurzen's host
    chosen = wurzen_client.post("/kontaktformular/", {**_fields(wurzen_client, "/kontaktformular/"),
                                                      **_message(buero="buergerbuero")})  # fmt: skip
    assert chosen.status_code == 400 and _stored("wurzen") == 0
    wurzen_staff = Client(HTTP_HOST="wurzen.localhost")
    assert wurzen_staff.post("/cms/login/", {"username": "it@wurzen.example",
                                             "password": "Wurzen-Admin-Passwort-1"}).status_code == 302  # fmt: skip
    listing = wurzen_staff.get("/cms/snippets/offices/contactrequest/")
    assert listing.status_code == 200 and "Nur für Gera" not in listing.content.decode()


def _staff(*codenames: str) -> Client:
    with schema_context("gera"):
        user = User.objects.create_user("sachbearbeitung", "sb@gera.example", "Ein-Kennwort-fuer-Anfragen")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in codenames:
            user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="offices"))
        client = Client(HTTP_HOST="gera.localhost")
        client.force_login(user)
        return client


def _request_in_gera(office: Office | None) -> ContactRequest:
    with schema_context("gera"):
        return services.contact_request_create(
            office=office, email="erika@example.org", subject="Straßenlaterne", message="Sie ist aus."
        )


def test_staff_list_requests_only_with_the_permission_and_mark_them_done(gera_office: Office) -> None:
    contact = _request_in_gera(gera_office)
    listing = "/cms/snippets/offices/contactrequest/"
    assert _staff().get(listing).status_code in (302, 403)
    with schema_context("gera"):
        User.objects.filter(username="sachbearbeitung").delete()
    reader = _staff("view_contactrequest")
    page = reader.get(listing, {"office": gera_office.pk})
    assert page.status_code == 200 and contact.reference in page.content.decode()
    assert reader.get(f"{listing}inspect/{contact.pk}/").status_code == 200
    assert reader.post(f"{listing}edit/{contact.pk}/", {"done": "on"}).status_code in (302, 403)
    with schema_context("gera"):
        assert not ContactRequest.objects.get(pk=contact.pk).done
        User.objects.filter(username="sachbearbeitung").delete()
    worker = _staff("view_contactrequest", "change_contactrequest")
    assert worker.get(f"{listing}add/").status_code in (302, 403)  # requests come from citizens only
    done = worker.post(f"{listing}edit/{contact.pk}/", {"done": "on", "subject": "überschrieben"})
    assert done.status_code == 302, done.content.decode()[:2000]
    with schema_context("gera"):
        marked = ContactRequest.objects.get(pk=contact.pk)
    assert marked.done and marked.done_by == "sachbearbeitung" and marked.done_at is not None
    assert marked.subject == "Straßenlaterne"  # everything but "done" is read-only


def test_the_sweep_sends_what_a_fault_left_and_deletes_after_retention(
    gera_office: Office, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        waiting = _request_in_gera(gera_office)  # its task lost with the broker: nothing sent
        old = _request_in_gera(None)
    with schema_context("gera"):
        ContactRequest.objects.filter(pk=waiting.pk).update(created=timezone.now() - timedelta(minutes=10))
        ContactRequest.objects.filter(pk=old.pk).update(
            created=timezone.now() - timedelta(days=CONTACT_RETENTION_DAYS + 1),
        )
        queued: list[int] = []
        monkeypatch.setattr(tasks.send_contact_mails, "apply_async", lambda args: queued.append(args[0]))
        assert tasks.contact_sweep() == 1
        assert queued == [waiting.pk]
        assert list(ContactRequest.objects.values_list("pk", flat=True)) == [waiting.pk]
        assert services.contact_mails_send(request_id=waiting.pk) == 2
        assert tasks.contact_sweep() == 0


def test_a_citizen_account_exports_and_erases_its_requests(gera_office: Office) -> None:
    _request_in_gera(gera_office)
    with schema_context("gera"):
        user = User.objects.create_user("erika", "Erika@Example.org", "Ein-Kennwort-fuer-Erika")
        exported = personal_data.export(user)["contact_requests"]
        assert [item["subject"] for item in exported] == ["Straßenlaterne"]
        personal_data.erase(user)
        assert not ContactRequest.objects.exists()


def test_office_pages_link_the_form(gera_office: Office) -> None:
    gera_client = _client()
    for path in ("/dienststellen/", "/dienststellen/buergerbuero/"):
        assert f'href="{FORM}"' in gera_client.get(path).content.decode()
    assert 'href="/kontaktformular/"' in gera_client.get("/kontakt/").content.decode()
