"""Typo matching without pg_trgm: the embedded PostgreSQL of ``make demo`` ships without the extension."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from answers import retrieval
from answers.retrieval import FUZZY_MIN, word_similarity
from tests.answers.test_answers import ask

pytestmark = pytest.mark.django_db


def test_the_in_process_measure_separates_typos_from_other_words() -> None:
    assert word_similarity("hundesteur", "Hundesteuer, Hund anmelden") >= FUZZY_MIN
    assert word_similarity("persnalausweis", "Personalausweis beantragen") >= FUZZY_MIN
    assert word_similarity("wetter", "Personalausweis beantragen") < FUZZY_MIN
    assert word_similarity("hund", "") == 0.0


def test_a_typo_is_answered_without_the_extension(answers_ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retrieval, "trigram_extension", lambda: False)
    with connection.execute_wrapper(_refuse_trigram_sql):
        assert ask("gera", "hundesteur anmelden")["topic"] == "service:hundesteuer-anmeldung"


def _refuse_trigram_sql(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    assert "word_similarity" not in sql, "pg_trgm was used although it is not installed"
    return execute(sql, params, many, context)
