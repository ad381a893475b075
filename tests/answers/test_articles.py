"""Knowledge articles: the cooperation office's shared ones, the question box on the home page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.office import roles
from answers.index import store
from answers.models import SharedArticle
from answers.selectors import answer
from answers.services import article_embedding_store

pytestmark = pytest.mark.django_db

ARTICLE = {
    "title_de": "Leuchtturmfahrt", "slug": "leuchtturmfahrt", "body_de": "Die Leuchtturmfahrt ist jeden Sommer.",
    "title_en": "", "body_en": "", "keywords": "Leuchtturm, Ausflug", "source": "Kooperationsstelle", "source_url": "",
}  # fmt: skip


def _editor(role: str) -> Client:
    user = User.objects.create_user(username=f"{role}@office.example", password="Office-Passwort-2026", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def test_catalogue_editors_keep_shared_articles_and_every_portal_answers_from_them(
    gera: object, wurzen: object
) -> None:
    editor = _editor(roles.CATALOGUE_EDITOR)
    assert editor.get("/office/articles/").status_code == 200
    response = editor.post("/office/articles/new/", ARTICLE)
    assert response.status_code == 302
    article = SharedArticle.objects.get(slug="leuchtturmfahrt")
    article_embedding_store(shared=True, article_id=article.pk)
    store.clear()
    for schema in ("gera", "wurzen"):
        with schema_context(schema):
            card = answer("Wann ist die Leuchtturmfahrt?")
        assert card.topic == "shared_article:leuchtturmfahrt", schema
        assert card.facts[0].source == "Kooperationsstelle"
    store.clear()


def test_a_bad_article_is_refused_with_a_message_and_nothing_is_stored(gera: object) -> None:
    editor = _editor(roles.CATALOGUE_EDITOR)
    response = editor.post("/office/articles/new/", {**ARTICLE, "source": ""})
    assert response.status_code == 400
    assert not SharedArticle.objects.filter(slug="leuchtturmfahrt").exists()


def test_staff_without_the_catalogue_permission_cannot_edit_articles(gera: object) -> None:
    billing = _editor(roles.BILLING)
    assert billing.get("/office/articles/").status_code in (302, 403)


def test_every_portals_home_page_has_the_question_box(gera_client: Client) -> None:
    html = gera_client.get("/").content.decode()
    assert 'action="/fragen/"' in html
    assert '<label for="home-question">' in html


def test_openapi_documents_the_answers_api(gera_client: Client) -> None:
    schema = gera_client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/answers"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"q", "topic", "lang"}
    assert {"200", "429"} <= set(operation["responses"])
    assert {"status", "facts", "contact", "topic"} <= set(schema["components"]["schemas"]["CardOut"]["properties"])
