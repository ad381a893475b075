"""Ideas with support, consultations without replies, citizen projects with planning and a funding application."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import get_resolver
from django_tenants.utils import schema_context
from pypdf import PdfReader

from participation import services
from participation.forms import StatementForm
from participation.models import FundingProgramme, IdeaSupport, Space, Statement, StatementSupport
from participation.states import IdeaStatus
from tests.participation.conftest import citizen, logged_in, moderator, solved, space

pytestmark = pytest.mark.django_db
HOST = "gera.localhost"


def _published_idea(title: str = "Trinkbrunnen am Markt") -> Any:
    ideas = space("gera", Space.Kind.IDEAS, "innenstadt")
    with schema_context("gera"):
        idea = services.idea_propose(participant=citizen("gera", f"Autor{title[:4]}"), space=ideas, title=title,
                                     text="Im Sommer wäre das schön.")  # fmt: skip
        return services.moderation_approve(item=idea, actor=None)


def test_a_user_supports_an_idea_once(gera: Any) -> None:
    idea = _published_idea()
    supporter = citizen("gera", "Unterstuetzerin")
    client = logged_in(HOST, supporter)
    url = f"/en/beteiligung/ideen/innenstadt/{idea.pk}/unterstuetzen/"
    assert "Thank you for your support." in client.post(url, follow=True).content.decode()
    assert "You support this idea already." in client.post(url, follow=True).content.decode()
    with schema_context("gera"):
        assert IdeaSupport.objects.filter(idea=idea).count() == 1
        assert services.idea_support(idea=idea, participant=supporter) is False
        assert IdeaSupport.objects.filter(idea=idea).count() == 1
    page = Client(HTTP_HOST=HOST).get(f"/en/beteiligung/ideen/innenstadt/{idea.pk}/").content.decode()
    assert "1 person supports this idea." in page
    # Anonymous visitors are sent to log in; nothing is counted.
    anonymous = Client(HTTP_HOST=HOST).post(url)
    assert anonymous.status_code == 302 and "/antraege/konto/anmelden/" in anonymous["Location"]


def test_the_administration_answers_publicly_and_a_rejection_needs_its_reason(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    idea = _published_idea("Seilbahn zum Bahnhof")
    client = logged_in(HOST, moderator("gera", "planung"))
    url = f"/cms/beteiligung/ideen/{idea.pk}/"
    response = client.post(url, {"status": "rejected", "answer": ""}, follow=True)
    assert "Bitte begründen Sie, warum die Idee abgelehnt wird." in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "rejected", "answer": "Zu teuer für den Haushalt 2026."})
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.REJECTED
    assert "Zu teuer für den Haushalt 2026." in mail.outbox[0].body
    page = Client(HTTP_HOST=HOST).get(f"/beteiligung/ideen/innenstadt/{idea.pk}/").content.decode()
    assert "Zu teuer für den Haushalt 2026." in page and "abgelehnt" in page


def test_consultations_accept_no_replies(gera: Any) -> None:
    consultation = space("gera", Space.Kind.CONSULTATION, "radverkehr", premoderation=False)
    first = citizen("gera", "Erste")
    with schema_context("gera"):
        statement = services.statement_post(participant=first, space=consultation, text="Mehr Radwege!")
    # No endpoint: no URL of the portal is about replying or answering statements.
    patterns = [str(pattern.pattern) for pattern in get_resolver("participation.urls").url_patterns]
    assert not [p for p in patterns if any(w in p for w in ("antwort", "reply", "replies", "kommentar", "comment"))]
    # No form: the statement form has only the text (and the anti-spam fields), and no statement has a parent.
    with schema_context("gera"):
        assert set(StatementForm().fields) == {"text", "website", "pow_challenge", "pow_nonce"}
    assert not {field.name for field in Statement._meta.get_fields()} & {"parent", "reply_to", "in_reply_to"}
    client = logged_in(HOST, citizen("gera", "Zweite"))
    page = client.get("/beteiligung/verfahren/radverkehr/").content.decode()
    actions = re.findall(r'<form[^>]*action="([^"]*)"', page)
    assert page.count("<textarea") == 1 and 'name="parent"' not in page and 'name="reply_to"' not in page
    assert not [action for action in actions if "antwort" in action or "reply" in action]
    # Sending a "reply" creates an ordinary statement of its own, never a thread.
    client.post("/beteiligung/verfahren/radverkehr/", {"text": "Sehe ich anders.", "parent": statement.pk,
                                                       "reply_to": statement.pk, **solved("gera")})  # fmt: skip
    with schema_context("gera"):
        assert Statement.objects.filter(space=consultation).count() == 2
    # Statements can be supported, once.
    url = f"/beteiligung/verfahren/radverkehr/stellungnahmen/{statement.pk}/unterstuetzen/"
    client.post(url)
    client.post(url)
    with schema_context("gera"):
        assert StatementSupport.objects.filter(statement=statement).count() == 1


def test_a_consultation_is_closed_with_a_published_summary(gera: Any) -> None:
    consultation = space("gera", Space.Kind.CONSULTATION, "schulweg", premoderation=False)
    author = citizen("gera", "Schulweg")
    client = logged_in(HOST, moderator("gera", "schulamt"))
    response = client.post(f"/cms/beteiligung/verfahren/{consultation.pk}/",
                           {"summary": "Wir bauen zwei Zebrastreifen."})  # fmt: skip
    assert response.status_code == 302
    page = Client(HTTP_HOST=HOST).get("/beteiligung/verfahren/schulweg/").content.decode()
    assert "Wir bauen zwei Zebrastreifen." in page and "<textarea" not in page
    with schema_context("gera"), pytest.raises(services.NotAllowed):
        services.statement_post(participant=author, space=Space.objects.get(pk=consultation.pk), text="Zu spät")
    late = logged_in(HOST, author).post("/beteiligung/verfahren/schulweg/", {"text": "Zu spät", **solved("gera")})
    assert late.status_code == 400
    with schema_context("gera"):
        assert not Statement.objects.filter(space=consultation).exists()


def test_a_project_grows_from_an_idea_plans_and_exports_a_branded_funding_application(gera: Any) -> None:
    idea = _published_idea("Gemeinschaftsgarten")
    initiator, helper = citizen("gera", "Gaertnerin"), citizen("gera", "Helfer")
    client = logged_in(HOST, initiator)
    response = client.post(f"/beteiligung/projekte/neu/{idea.pk}/", {
        "title": "Gemeinschaftsgarten Ostviertel", "summary": "Ein Garten für alle.",
        "motivation": "Ich gärtnere gern.",
        "skills": "Gartenbau", **solved("gera"),
    })  # fmt: skip
    assert response.status_code == 302
    project_url = response["Location"]
    with schema_context("gera"):
        from participation.models import Project

        project = Project.objects.get(title="Gemeinschaftsgarten Ostviertel")
        services.moderation_approve(item=project, actor=None)
        FundingProgramme.objects.create(name="Bürgerbudget 2026", funder="Stadt Gera", max_amount="1000.00",
                                        include_tasks=True, declaration="Wir versichern die Richtigkeit.")  # fmt: skip
        programme = FundingProgramme.objects.get()
    helper_client = logged_in(HOST, helper)
    assert helper_client.get(project_url.replace(f"{project.pk}/", f"{project.pk}/planung/")).status_code == 404
    helper_client.post(project_url, {"motivation": "Ich habe Werkzeug.", "skills": "Handwerk"})
    plan = {
        "goals-TOTAL_FORMS": "1", "goals-INITIAL_FORMS": "0", "goals-0-text": "Zwanzig Beete anlegen",
        "milestones-TOTAL_FORMS": "1", "milestones-INITIAL_FORMS": "0", "milestones-0-title": "Beete gebaut",
        "milestones-0-due": "2026-05-01",
        "budget-TOTAL_FORMS": "2", "budget-INITIAL_FORMS": "0", "budget-0-item": "Holz", "budget-0-amount": "800.00",
        "budget-1-item": "Erde", "budget-1-amount": "450.50",
        "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "0", "tasks-0-title": "Holz bestellen",
        "tasks-0-responsible": "Helfer",
    }  # fmt: skip
    assert helper_client.post(f"/beteiligung/projekte/{project.pk}/planung/", plan).status_code == 302
    pdf = helper_client.get(f"/beteiligung/projekte/{project.pk}/foerderantrag.pdf?programm={programme.pk}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("Stadt Gera", "Bürgerbudget 2026", "Gemeinschaftsgarten Ostviertel", "Zwanzig Beete anlegen",
                     "Beete gebaut", "1.250,50", "Holz bestellen", "Gaertnerin", "Handwerk",
                     "Wir versichern die Richtigkeit."):  # fmt: skip
        assert expected in text, expected
    assert "überschreiten die Höchstförderung" in text  # 1.250,50 € is over the programme's 1.000,00 €
    unknown = helper_client.get(f"/en/beteiligung/projekte/{project.pk}/foerderantrag.pdf?programm=abc", follow=True)
    assert "Please choose a funding programme." in unknown.content.decode()
    outsider = logged_in(HOST, citizen("gera", "Fremd"))
    assert (
        outsider.get(f"/beteiligung/projekte/{project.pk}/foerderantrag.pdf?programm={programme.pk}").status_code == 404
    )
