"""Pre-moderation: nothing is public before approval; rejections tell the author why; flags hide; blocks; audit log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from participation import services
from participation.models import Idea, ModerationLog, ParticipationSettings, Report, ReportCategory, Space, Statement
from participation.states import Moderation, ReportStatus
from participation.tasks import moderator_digest
from tests.participation.conftest import category, citizen, jpeg_with_gps, logged_in, moderator, solved, space

pytestmark = pytest.mark.django_db


def _file_report(schema: str, author: Any, cat: ReportCategory) -> Report:
    with schema_context(schema):
        return services.report_file(
            participant=author, category=cat, description="Schlagloch vor dem Haus, etwa 30 cm tief",
            address="Sorge 12", latitude=Decimal("50.880000"), longitude=Decimal("12.080000"),
            photos=[SimpleUploadedFile("loch.jpg", jpeg_with_gps(), content_type="image/jpeg")],
        )  # fmt: skip


def test_nothing_of_a_premoderated_space_is_public_before_approval(gera: Any) -> None:
    author = citizen("gera", "Erika")
    report = _file_report("gera", author, category("gera"))
    ideas = space("gera", Space.Kind.IDEAS, "innenstadt")
    consultation = space("gera", Space.Kind.CONSULTATION, "radverkehrsplan")
    with schema_context("gera"):
        idea = services.idea_propose(participant=author, space=ideas, title="Mehr Bänke am Markt", text="Bitte.")
        statement = services.statement_post(participant=author, space=consultation, text="Radweg auf der Sorge!")
        photo = report.photos.get()
    anonymous, other = Client(HTTP_HOST="gera.localhost"), logged_in("gera.localhost", citizen("gera", "Max"))
    public_urls = [f"/beteiligung/maengel/{report.pk}/", f"/beteiligung/maengel/{report.pk}/fotos/{photo.pk}/",
                   f"/beteiligung/ideen/innenstadt/{idea.pk}/"]  # fmt: skip
    for client in (anonymous, other):
        for url in public_urls:
            assert client.get(url).status_code == 404, url
        for url, text in [("/beteiligung/maengel/", "Sorge 12"), ("/beteiligung/ideen/innenstadt/", "Mehr Bänke"),
                          ("/beteiligung/verfahren/radverkehrsplan/", "Radweg auf der Sorge"),
                          ("/beteiligung/", "Sorge 12")]:  # fmt: skip
            assert text not in client.get(url).content.decode(), url
    for url in ("/api/v1/reports", "/api/v1/ideas", "/api/v1/reports?format=csv"):
        body = anonymous.get(url).content.decode()
        assert "Sorge 12" not in body and "Mehr Bänke" not in body
    # The author sees the own contribution, marked as waiting.
    author_client = logged_in("gera.localhost", author)
    assert "waits for moderation" in author_client.get(f"/en/beteiligung/maengel/{report.pk}/").content.decode()

    mod = moderator("gera")
    with schema_context("gera"):
        for item in (report, idea, statement):
            services.moderation_approve(item=item, actor=mod)
        assert Report.objects.get(pk=report.pk).status == ReportStatus.PUBLISHED
    for url in public_urls:
        assert anonymous.get(url).status_code == 200, url
    assert "Radweg auf der Sorge" in anonymous.get("/beteiligung/verfahren/radverkehrsplan/").content.decode()
    assert "Sorge 12" in anonymous.get("/api/v1/reports").content.decode()


def test_rejected_authors_receive_the_reason(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    author = citizen("gera", "Lotte")
    ideas = space("gera", Space.Kind.IDEAS, "innenstadt")
    mod = moderator("gera")
    with schema_context("gera"):
        idea = services.idea_propose(participant=author, space=ideas, title="Parkplatz für Herrn Müller", text="…")
    client = logged_in("gera.localhost", mod)
    queue = client.get("/cms/beteiligung/moderation/").content.decode()
    assert "Parkplatz für Herrn Müller" in queue
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cms/beteiligung/moderation/idea/{idea.pk}/aktion/",
            {"action": "reject", "reason": "Bitte keine Namen von Privatpersonen nennen."},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lotte@example.org"]
    assert "Bitte keine Namen von Privatpersonen nennen." in message.body
    with schema_context("gera"):
        assert Idea.objects.get(pk=idea.pk).moderation == Moderation.REJECTED
        entry = ModerationLog.objects.get(kind="idea", item_id=idea.pk)
        assert entry.action == "reject" and entry.actor == mod
    assert client.get(f"/beteiligung/ideen/innenstadt/{idea.pk}/").status_code == 404
    mine = logged_in("gera.localhost", author).get("/beteiligung/meine-beitraege/").content.decode()
    assert "Bitte keine Namen von Privatpersonen nennen." in mine


def test_rejecting_needs_a_reason(gera: Any) -> None:
    author = citizen("gera", "Kurt")
    consultation = space("gera", Space.Kind.CONSULTATION, "haushalt")
    client = logged_in("gera.localhost", moderator("gera"))
    with schema_context("gera"):
        statement = services.statement_post(participant=author, space=consultation, text="Mehr Geld für Schulen")
    response = client.post(f"/cms/beteiligung/moderation/statement/{statement.pk}/aktion/", {"action": "reject"},
                           follow=True)  # fmt: skip
    assert "the author is told why" in response.content.decode() or "erfährt, warum" in response.content.decode()
    with schema_context("gera"):
        assert Statement.objects.get(pk=statement.pk).moderation == Moderation.PENDING


def test_edit_with_note_publishes_and_tells_the_author(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    author = citizen("gera", "Paula")
    consultation = space("gera", Space.Kind.CONSULTATION, "haushalt")
    client = logged_in("gera.localhost", moderator("gera"))
    with schema_context("gera"):
        statement = services.statement_post(
            participant=author, space=consultation, text="Frau Schulze (Tel. 0365 1234) hat recht."
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cms/beteiligung/moderation/statement/{statement.pk}/aktion/",
            {"action": "edit", "text": "[Name entfernt] hat recht.", "note": "Telefonnummer entfernt"},
        )
    with schema_context("gera"):
        edited = Statement.objects.get(pk=statement.pk)
    assert edited.is_public and edited.text == "[Name entfernt] hat recht."
    assert "Telefonnummer entfernt" in mail.outbox[0].body
    page = Client(HTTP_HOST="gera.localhost").get("/beteiligung/verfahren/haushalt/").content.decode()
    assert "0365 1234" not in page and "[Name entfernt] hat recht." in page


def test_without_premoderation_content_appears_at_once_but_flags_hide_it(gera: Any) -> None:
    open_space = space("gera", Space.Kind.IDEAS, "spielplaetze", premoderation=False)
    author = citizen("gera", "Ida")
    with schema_context("gera"):
        ParticipationSettings.objects.update_or_create(defaults={"flags_to_hide": 2})
        idea = services.idea_propose(participant=author, space=open_space, title="Wasserspielplatz", text="Im Sommer.")
    assert idea.is_public
    url = f"/beteiligung/ideen/spielplaetze/{idea.pk}/"
    anonymous = Client(HTTP_HOST="gera.localhost")
    assert anonymous.get(url).status_code == 200
    first = logged_in("gera.localhost", citizen("gera", "Flagger1"))
    assert first.post(f"/beteiligung/melden/idea/{idea.pk}/", {"reason": "Werbung"}).status_code == 302
    assert first.post(f"/beteiligung/melden/idea/{idea.pk}/", {"reason": "nochmal"}).status_code == 302  # counts once
    assert anonymous.get(url).status_code == 200
    anonymous.post(f"/beteiligung/melden/idea/{idea.pk}/", {"reason": ""})
    assert anonymous.get(url).status_code == 404  # two flags: hidden pending review
    mod = moderator("gera")
    queue = logged_in("gera.localhost", mod).get("/cms/beteiligung/moderation/").content.decode()
    assert "Wasserspielplatz" in queue
    with schema_context("gera"):
        services.moderation_approve(item=Idea.objects.get(pk=idea.pk), actor=mod)
        actions = list(ModerationLog.objects.filter(kind="idea", item_id=idea.pk).values_list("action", flat=True))
    assert sorted(actions) == ["hide", "restore"]
    assert anonymous.get(url).status_code == 200


def test_without_the_anti_spam_check_a_contribution_waits_even_without_premoderation(gera: Any) -> None:
    space("gera", Space.Kind.IDEAS, "spielplaetze", premoderation=False)
    client = logged_in("gera.localhost", citizen("gera", "Nojs"))
    data = {"title": "Ohne JavaScript", "text": "Geht auch.", "website": "", "pow_challenge": "", "pow_nonce": ""}
    response = client.post("/en/beteiligung/ideen/spielplaetze/neu/", data, follow=True)
    assert "did not run the automatic anti-spam check" in response.content.decode()
    with schema_context("gera"):
        idea = Idea.objects.get(title="Ohne JavaScript")
    assert idea.moderation == Moderation.PENDING and not idea.checked
    solved_data = {**data, "title": "Mit JavaScript", **solved("gera")}
    client.post("/beteiligung/ideen/spielplaetze/neu/", solved_data)
    with schema_context("gera"):
        assert Idea.objects.get(title="Mit JavaScript").is_public


def test_blocked_participants_cannot_contribute(gera: Any) -> None:
    author = citizen("gera", "Troll")
    mod = moderator("gera")
    staff_client = logged_in("gera.localhost", mod)
    staff_client.post(
        f"/cms/beteiligung/teilnehmende/{author.pk}/sperren/", {"action": "block", "reason": "Beleidigungen"}
    )
    category("gera")
    client = logged_in("gera.localhost", author)
    with schema_context("gera"):
        cat = ReportCategory.objects.get()
    data = {"category": cat.pk, "description": "Test", "address": "Markt 1", **solved("gera")}
    response = client.post("/en/beteiligung/maengel/melden/", data)
    assert response.status_code == 400 and "blocked" in response.content.decode()
    with schema_context("gera"):
        assert not Report.objects.exists()
        assert ModerationLog.objects.filter(kind="participant", item_id=author.pk, action="block").exists()


def test_moderators_get_one_digest_a_day(gera: Any) -> None:
    mod = moderator("gera")
    citizen_ = citizen("gera", "Digest")
    with schema_context("gera"):
        services.statement_post(
            participant=citizen_, space=space("gera", Space.Kind.CONSULTATION, "digest"), text="Bitte prüfen"
        )
        mail.outbox.clear()
        sent = moderator_digest()  # the moderator and the municipality's administrator (a superuser)
        assert moderator_digest() == 0  # a retried or duplicated run sends nothing twice
    assert sent == len(mail.outbox) == 2
    assert {message.to[0] for message in mail.outbox} == {mod.email, "it@gera.example"}
    assert all("/cms/beteiligung/moderation/" in message.body for message in mail.outbox)
