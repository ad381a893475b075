"""Full-text search over published versions with German stemming (PostgreSQL).

Queries widen step by step until something matches: all words, then all words as prefixes
(German compounds: "Hund" finds "Hundesteuer"), then any word as prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection

WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)


def _lexemes(query: str) -> list[str]:
    """The stemmed words of a query, as PostgreSQL's German configuration stems them."""
    words = WORD.findall(query.lower())[:12]
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(DISTINCT lexeme) FROM unnest(to_tsvector('german', %s))", [" ".join(words)])
        (lexemes,) = cursor.fetchone()
    return sorted(lexemes or [])


def _tsqueries(query: str) -> list[str]:
    lexemes = [re.sub(r"[^\w]", "", lexeme) for lexeme in _lexemes(query)]
    lexemes = [lexeme for lexeme in lexemes if lexeme]
    if not lexemes:
        return []
    return [
        " & ".join(lexemes),
        " & ".join(f"{lexeme}:*" for lexeme in lexemes),
        " | ".join(f"{lexeme}:*" for lexeme in lexemes),
    ]


def rank_versions(query: str, version_ids: Iterable[int]) -> dict[int, float]:
    """Rank the given versions for ``query``; versions that do not match are left out."""
    ids = list(version_ids)
    if not ids:
        return {}
    for tsquery in _tsqueries(query):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_rank_cd(search_vector, to_tsquery('german', %s), 1) "
                "FROM services_catalog_serviceversion "
                "WHERE id = ANY(%s) AND search_vector @@ to_tsquery('german', %s)",
                [tsquery, ids, tsquery],
            )
            ranks = {row[0]: float(row[1]) for row in cursor.fetchall()}
        if ranks:
            return ranks
    return {}


def rank_texts(query: str, texts: dict[int, str]) -> dict[int, float]:
    """Rank free texts (e.g. a municipality's local notes) keyed by id for ``query``."""
    candidates = {key: text for key, text in texts.items() if text.strip()}
    if not candidates:
        return {}
    for tsquery in _tsqueries(query):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key, ts_rank_cd(to_tsvector('german', text), to_tsquery('german', %s), 1) "
                "FROM unnest(%s::bigint[], %s::text[]) AS t(key, text) "
                "WHERE to_tsvector('german', text) @@ to_tsquery('german', %s)",
                [tsquery, list(candidates), list(candidates.values()), tsquery],
            )
            ranks = {row[0]: float(row[1]) for row in cursor.fetchall()}
        if ranks:
            return ranks
    return {}
