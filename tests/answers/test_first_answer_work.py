"""What a new question costs: no embedding when its words settle it, trigram pairs filtered without changing a score."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from answers import retrieval
from answers.embedders import embedder
from answers.embedders.base import Vectors
from answers.retrieval import Question, _similar_words_sql
from answers.selectors import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The questions the model embeds from now on (nothing remembered from earlier tests)."""
    model = embedder()
    asked: list[str] = []
    queries = model.queries

    def counted(texts: list[str]) -> Vectors:
        asked.extend(texts)
        return queries(texts)

    monkeypatch.setattr(model, "queries", counted)
    monkeypatch.setattr(retrieval, "_shared_question_vector", lambda model, text: model.queries([text])[0])
    retrieval.question_vectors.clear()
    retrieval.rankings.clear()
    return asked


def test_a_question_its_words_settle_is_answered_without_embedding_it(answers_ready: None, embedded: list[str]) -> None:
    with schema_context("gera"):
        question = Question("Hundesteuer anmelden", place="Gera")
        assert question.decisive == "service:hundesteuer-anmeldung"
        card = answer("Hundesteuer anmelden")
    assert card.status == "answer" and card.topic == "service:hundesteuer-anmeldung"
    assert embedded == []


def test_everyday_words_are_still_embedded(answers_ready: None, embedded: list[str]) -> None:
    with schema_context("gera"):
        assert Question("bin umgezogen, wo muss ich mich melden", place="Gera").decisive == ""
        card = answer("bin umgezogen, wo muss ich mich melden")
    assert card.topic == "service:wohnsitz-anmeldung"
    assert embedded == ["bin umgezogen, wo muss ich mich melden"]


@pytest.mark.parametrize(
    "text",
    ["hundesteur anmelden", "Portmonee verlorn", "Sperrmüllabholung für mein altes Sofa", "Meldebeschenigung"],
)
def test_the_trigram_filter_keeps_every_pair_pg_trgm_would_score(answers_ready: None, text: str) -> None:
    with schema_context("gera"):
        question = Question(text, place="Gera")
        lexicons = [document.lexicon for document in question.documents]
        every_pair = [(index, word) for word in question.words for index in range(len(lexicons))]
        unfiltered = _similar_words_sql(lexicons, every_pair)
        filtered = _similar_words_sql(lexicons, question._fuzzy_candidates())
    assert unfiltered  # the typo is found at all
    assert sorted(filtered) == sorted(unfiltered)
