"""Retrieval methods, registered by name; ``AMTSPLATZ_ANSWERS_RETRIEVER`` chooses one (ADR 0053).

Four signals, each between 0 and 1 per document:

* **full text**: PostgreSQL's German configuration (stemming, compounds by prefix) over the catalogue's
  stored search vectors and the articles' texts;
* **fuzzy**: pg_trgm's ``word_similarity`` of each word of the question against a document's names and
  search words (typos: "Persnalausweis", "Hundesteur"); where the server has no pg_trgm (the embedded
  PostgreSQL of ``make demo`` ships without it), the same trigram measure computed in this process;
* **semantic**: cosine similarity of the question's embedding with the stored passage embeddings
  (everyday phrasings and English: "bin umgezogen", "I moved house");
* **search words**: the document's names and search words that the question contains, inflected, in
  compounds or with a typo (``answers.searchwords``: "Fahrrad gefunden", "Dorffest").

A method ranks the documents and says from which score on it is sure; below it the answer is
"I don't know" with contact options.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from answers.embedders import embedder
from answers.embedders.base import Embedder, Vectors, from_bytes, to_bytes
from answers.index import Document, store, trigrams
from answers.language import ENGLISH, GERMAN
from answers.searchwords import SearchWords
from tenants.db import current_schema

WORD = re.compile(r"[\wäöüß]+", re.IGNORECASE)
FUZZY_MIN = 0.5  # word_similarity below this is noise
# Words that settle a question on their own (see Question.decisive): nearly every content word found in one
# document's names and search words, that document the full-text leader, and the next one far behind.
DECISIVE_FUZZY, DECISIVE_MARGIN = 0.8, 0.3
# e5's cosines of unrelated texts sit around 0.75–0.8: rescale the useful band to 0..1.
SEMANTIC_FLOOR, SEMANTIC_SPAN = 0.78, 0.12


# Stemmed words of the question (stop words dropped by the German configuration), each as a prefix.
FULLTEXT_SQL = """
WITH lexemes AS (SELECT lexeme FROM unnest(to_tsvector('german', %(text)s))),
queries AS (
    SELECT to_tsquery('german', (SELECT string_agg(quote_literal(lexeme) || ':*', ' & ') FROM lexemes)) AS every,
           to_tsquery('german', (SELECT string_agg(quote_literal(lexeme) || ':*', ' | ') FROM lexemes)) AS some
),
documents AS (
    SELECT 's' AS kind, v.id AS key, v.search_vector AS vector
    FROM services_catalog_serviceversion v WHERE v.id = ANY(%(ids)s)
    UNION ALL
    SELECT 'a', t.key, to_tsvector('german', t.text)
    FROM unnest(%(article_ids)s::bigint[], %(article_texts)s::text[]) AS t(key, text)
)
SELECT d.kind, d.key, ts_rank_cd(d.vector, q.some, 1), d.vector @@ q.every
FROM documents d, queries q WHERE d.vector @@ q.some
"""


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """A bounded LRU of this process (DESIGN.md: every in-process cache is bounded), safe across threads."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, load: Callable[[], V]) -> V:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = load()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Questions repeat ("Personalausweis beantragen"): the embedding of a text never changes for one model, and a
# ranking stays right while the documents it ranked (the same builds of the index's parts) are the same.
question_vectors: Remembered[tuple[str, str], Vectors] = Remembered(max_entries=4096)
QUESTION_VECTOR_SECONDS = 24 * 3600  # in Redis, shared by every process (a new worker starts warm)

logger = logging.getLogger(__name__)


def question_vector(model: Embedder, text: str) -> Vectors:
    """The embedding of a question: from this process, else from Redis, else computed (and kept in both)."""
    return question_vectors.get((model.name, text), lambda: _shared_question_vector(model, text))


def _shared_question_vector(model: Embedder, text: str) -> Vectors:
    key = f"answers:question-vector:{model.name}:{hashlib.sha256(text.encode()).hexdigest()}"
    platform = caches["platform"]
    try:
        stored = platform.get(key)
    except Exception:  # Redis down: compute, never fail the answer
        logger.warning("Question vectors unreadable from Redis; computing.", exc_info=True)
        stored = None
    if isinstance(stored, bytes) and len(stored) == model.dim * 4:
        return from_bytes(stored, model.dim)[0]
    vector: Vectors = model.queries([text])[0]
    try:
        platform.set(key, to_bytes(vector), QUESTION_VECTOR_SECONDS)
    except Exception:
        logger.warning("Question vector not stored in Redis.", exc_info=True)
    return vector


RankingKey = tuple[str, int, int, str, str, frozenset[str]]  # schema, part builds, method, text, place words
rankings: Remembered[RankingKey, list[tuple[int, float]]] = Remembered(max_entries=4096)
# The search words of the documents of one build of both parts (the same for every question over them), and
# what a question found among them (asked again, it costs nothing).
search_words: Remembered[tuple[int, int], SearchWords] = Remembered(max_entries=64)
search_word_scores: Remembered[tuple[int, int, str], dict[str, float]] = Remembered(max_entries=4096)


# Words of a municipality's official name that say what kind of place it is, not which one.
PLACE_TITLES = frozenset(
    {"stadt", "gemeinde", "große", "grosse", "kreisstadt", "hansestadt", "landeshauptstadt", "markt"}
)


def place_words(name: str) -> frozenset[str]:
    """The words naming the municipality itself ("Große Kreisstadt Wurzen" → wurzen)."""
    return frozenset(word.lower() for word in WORD.findall(name)) - PLACE_TITLES - GERMAN


class Question:
    """One question with its signals, each computed on first use.

    ``place`` is the municipality's name: in its own portal the name of the town says nothing about the
    topic ("ich bin nach Gera gezogen"), yet it is in the title of many local articles ("Wertstoffhof
    Gera-Nord"), so full text and typo matching leave it out (the embedding sees the whole question).
    """

    def __init__(self, text: str, place: str = "") -> None:
        self.text = text[:300]
        self.place = place_words(place)
        model = embedder()
        self.shared, self.local = store.parts(model.name, model.dim)
        self.documents: list[Document] = [*self.shared.documents, *self.local.documents]

    @cached_property
    def words_all(self) -> list[str]:
        return [word for word in (word.lower() for word in WORD.findall(self.text)) if word not in self.place][:12]

    @cached_property
    def words(self) -> list[str]:
        """The content words (for typo matching): no everyday words, nothing shorter than four letters."""
        return [word for word in self.words_all if len(word) >= 4 and word not in GERMAN and word not in ENGLISH][:10]

    @cached_property
    def semantic(self) -> dict[str, float]:
        """The best cosine per document (a document has one row per language)."""
        model = embedder()
        query = question_vector(model, self.text)
        scores: dict[str, float] = {}
        for part in (self.shared, self.local):
            if not len(part.vectors):
                continue
            cosines: list[float] = (part.vectors @ query).tolist()
            for owner, cosine in zip(part.owners, cosines, strict=True):
                topic = part.documents[owner].topic
                scores[topic] = max(scores.get(topic, -1.0), cosine)
        # Plain floats: NumPy's clip per scalar cost more than the cosines themselves.
        return {topic: min(max((c - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0.0), 1.0) for topic, c in scores.items()}

    @cached_property
    def decisive(self) -> str:
        """The topic the question's words alone settle, or "".

        Embedding the question is most of the CPU time of a first answer; when the words already name one
        document plainly, the hybrid ranking would choose it too (ADR 0054: same accuracy on both evaluation
        sets), so the hybrid method answers it without embedding the question.
        """
        lexical = sorted(
            ((0.5 * self.fulltext.get(topic, 0.0) + 0.5 * self.fuzzy.get(topic, 0.0), topic)
             for topic in self.fulltext.keys() | self.fuzzy.keys()),
            reverse=True,
        )  # fmt: skip
        if not lexical:
            return ""
        (lead, topic), runner_up = lexical[0], (lexical[1][0] if len(lexical) > 1 else 0.0)
        plain = self.fuzzy.get(topic, 0.0) >= DECISIVE_FUZZY and self.fulltext.get(topic, 0.0) >= 1.0
        return topic if plain and lead - runner_up >= DECISIVE_MARGIN else ""

    @cached_property
    def fulltext(self) -> dict[str, float]:
        """German full text in one statement: every word as a prefix (compounds), all words count double."""
        services = {d.version_id: d.topic for d in self.documents if d.version_id is not None}
        articles = [d for d in self.documents if d.version_id is None]
        with connection.cursor() as cursor:
            cursor.execute(FULLTEXT_SQL, {
                "text": " ".join(self.words_all), "ids": list(services),
                "article_ids": list(range(len(articles))), "article_texts": [d.text_de for d in articles],
            })  # fmt: skip
            rows = cursor.fetchall()
        ranks: dict[str, float] = {}
        for kind, key, rank, all_words in rows:
            topic = services[key] if kind == "s" else articles[key].topic
            ranks[topic] = float(rank) * (2.0 if all_words else 1.0)
        best = max(ranks.values(), default=0.0)
        return {topic: rank / best for topic, rank in ranks.items()} if best > 0 else {}

    def _fuzzy_candidates(self) -> list[tuple[int, str]]:
        """The (document, word) pairs that can reach FUZZY_MIN, the others left out before asking the database.

        ``word_similarity`` is the share of the word's trigrams found in the best stretch of the lexicon, never
        more than the share found anywhere in it: a pair below FUZZY_MIN on that count cannot reach it. Computing
        the measure for every lexicon in the database cost more CPU there than the rest of a first answer.
        """
        found = [*self.shared.lexicon_trigrams, *self.local.lexicon_trigrams]
        pairs = []
        for word in self.words:
            wanted = trigrams(word)
            needed = FUZZY_MIN * len(wanted) - 1e-9
            for index, trigram_set in enumerate(found):
                # A word with an underscore is several words to pg_trgm: not filtered.
                if not word.isalnum() or len(wanted & trigram_set) >= needed:
                    pairs.append((index, word))
        return pairs

    @cached_property
    def not_ours(self) -> float:
        """How specific the heaviest cue in the question is that it is not the administration's business."""
        return self._prepared_search_words().cue(self._text_without_place, NOT_OURS)

    @cached_property
    def _text_without_place(self) -> str:
        return " ".join(word for word in WORD.findall(self.text) if word.lower() not in self.place)

    def _prepared_search_words(self) -> SearchWords:
        return search_words.get(
            (self.shared.build, self.local.build), lambda: SearchWords.of(d.search_words for d in self.documents)
        )

    @cached_property
    def search_words(self) -> dict[str, float]:
        """The weight of the heaviest search word of each document that the question contains (1: one rare word)."""
        text = self._text_without_place

        def scores() -> dict[str, float]:
            prepared = self._prepared_search_words()
            return {self.documents[index].topic: weight for index, weight in prepared.scores(text).items()}

        return search_word_scores.get((self.shared.build, self.local.build, text), scores)

    @cached_property
    def fuzzy(self) -> dict[str, float]:
        if not self.words or not self.documents:
            return {}
        lexicons = [d.lexicon for d in self.documents]
        if trigram_extension():
            rows = _similar_words_sql(lexicons, self._fuzzy_candidates())
        else:
            rows = _similar_words(lexicons, self.words)
        best: dict[tuple[int, str], float] = {}
        for index, word, similarity in rows:
            best[(index, word)] = max(best.get((index, word), 0.0), float(similarity))
        scores: dict[str, float] = {}
        for (index, _word), similarity in best.items():
            topic = self.documents[index].topic
            scores[topic] = scores.get(topic, 0.0) + similarity / len(self.words)
        return scores


@cache
def trigram_extension() -> bool:
    """Whether the database server has pg_trgm (the migration creates it in public where available)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
        return bool(cursor.fetchone()[0])


def _similar_words_sql(lexicons: list[str], pairs: list[tuple[int, str]]) -> list[tuple[int, str, float]]:
    """pg_trgm's ``word_similarity`` of each (document, word) pair, where it reaches FUZZY_MIN."""
    if not pairs:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.i, p.word, word_similarity(p.word, p.lexicon) AS s "
            "FROM unnest(%s::int[], %s::text[], %s::text[]) AS p(i, word, lexicon) "
            "WHERE word_similarity(p.word, p.lexicon) >= %s",
            [[i for i, _ in pairs], [word for _, word in pairs], [lexicons[i] for i, _ in pairs], FUZZY_MIN],
        )
        return [(int(index), str(word), float(similarity)) for index, word, similarity in cursor.fetchall()]


def word_similarity(word: str, lexicon: str) -> float:
    """Close to pg_trgm's ``word_similarity`` for one word: pg_trgm's ``similarity`` (shared trigrams over all
    trigrams of both) with the best-matching word of the lexicon."""
    wanted = trigrams(word)
    return max(
        (len(wanted & found) / len(wanted | found) for found in map(trigrams, set(WORD.findall(lexicon)))),
        default=0.0,
    )


def _similar_words(lexicons: list[str], words: list[str]) -> list[tuple[int, str, float]]:
    rows = []
    for index, lexicon in enumerate(lexicons):
        for word in words:
            similarity = word_similarity(word, lexicon)
            if similarity >= FUZZY_MIN:
                rows.append((index, word, similarity))
    return rows


@dataclass(frozen=True)
class Hit:
    document: Document
    score: float


# Cues of questions that are not the administration's business, whatever words they share with the catalogue: a
# recommendation or an opinion, a private person's affairs, a lost job (no lost property). Such a question is
# answered only by a search word at least as specific as the cue: "Gebrauchtwagen vom Nachbarn gekauft" is the
# used-car re-registration, "Job verloren" is Bürgergeld where the catalogue lists it — and never lost property.
NOT_OURS = (
    "empfehlen", "Empfehlung", "recommend", "Nachbar", "neighbour", "neighbor",
    "Job verloren", "Arbeit verloren", "Arbeitsplatz verloren", "lost my job",
)  # fmt: skip
SEARCH_WORD_SURE = 0.5  # a search word of at least this weight (answers.searchwords) …
SURE_WITH_SEARCH_WORD = 0.3  # … makes an answer sure from this score


@dataclass(frozen=True)
class Retriever:
    name: str
    score: Callable[[Question, str], float]
    sure_from: float  # the lowest top score that is answered; below: "I don't know"
    # With one of the document's search words in the question, sure from this lower score (None: no difference).
    sure_with_search_word: float | None = None

    def sure(self, question: Question, hit: Hit) -> bool:
        """Whether ``hit`` (the best) is answered, or the answer is "I don't know" with contact options."""
        matched = question.search_words.get(hit.document.topic, 0.0)
        if matched < question.not_ours:
            return False
        listed = matched >= SEARCH_WORD_SURE
        lowest = self.sure_with_search_word if listed and self.sure_with_search_word is not None else self.sure_from
        return hit.score >= lowest

    def rank(self, question: Question) -> list[Hit]:
        """The documents with a score above 0, best first; remembered per question and build of the index."""
        key = (current_schema(), question.shared.build, question.local.build, self.name, question.text, question.place)
        ranked = rankings.get(key, lambda: self._ranked(question))
        return [Hit(question.documents[index], score) for index, score in ranked]

    def _ranked(self, question: Question) -> list[tuple[int, float]]:
        scores = [(index, self.score(question, d.topic)) for index, d in enumerate(question.documents)]
        return sorted(((i, score) for i, score in scores if score > 0), key=lambda item: -item[1])


SEARCH_WORD_WEIGHT = 0.2  # ADR 0053, 2026-12-06: from the plateau 0.15–0.25


def _hybrid(question: Question, topic: str) -> float:
    # Weights and threshold from a plateau of the evaluation set (ADR 0053), not its single best point.
    # A question its words settle is not embedded: full agreement for that topic, none for the others.
    decisive = question.decisive
    semantic = float(topic == decisive) if decisive else question.semantic.get(topic, 0.0)
    return (
        0.8 * semantic
        + 0.1 * question.fulltext.get(topic, 0.0)
        + 0.2 * question.fuzzy.get(topic, 0.0)
        + SEARCH_WORD_WEIGHT * min(question.search_words.get(topic, 0.0), 1.0)
    )


def _lexical(question: Question, topic: str) -> float:
    return 0.5 * question.fulltext.get(topic, 0.0) + 0.5 * question.fuzzy.get(topic, 0.0)


def _semantic(question: Question, topic: str) -> float:
    return question.semantic.get(topic, 0.0)


RETRIEVERS: dict[str, Retriever] = {
    "hybrid": Retriever("hybrid", _hybrid, sure_from=0.5, sure_with_search_word=SURE_WITH_SEARCH_WORD),
    "lexical": Retriever("lexical", _lexical, sure_from=0.3),
    "semantic": Retriever("semantic", _semantic, sure_from=0.3),
}


def retriever(name: str | None = None) -> Retriever:
    chosen = name or settings.AMTSPLATZ_ANSWERS_RETRIEVER
    if chosen not in RETRIEVERS:
        raise ValueError(f"Unknown retrieval method {chosen!r}; choose one of {', '.join(sorted(RETRIEVERS))}.")
    return RETRIEVERS[chosen]
