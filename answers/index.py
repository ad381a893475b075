"""What the question box searches: every published service and every article a municipality may see.

The shared part (services, shared articles) is the same for every municipality and is kept once per
process; each municipality adds its own articles. Both parts are rebuilt when their generation counter
moves (bumped when an embedding is stored or an article saved), and the per-municipality parts are kept
in a bounded LRU (DESIGN.md: every in-process cache is bounded).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.core.cache import cache, caches

from amtsplatz.infra.cache import CacheUnavailable
from answers.embedders.base import Vectors, from_bytes
from answers.local.models import LocalArticle
from answers.models import ArticleContent, ServiceEmbedding, SharedArticle
from services_catalog.selectors import published_definitions, published_version
from tenants.db import current_schema

# pg_trgm's words: runs of letters and digits (an underscore separates, as any other sign does).
TRIGRAM_WORD = re.compile(r"[^\W_]+")
GENERATION_KEY = "answers:generation"
_builds = itertools.count(1)
LOCAL_INDEXES_KEPT = 64


@dataclass(frozen=True)
class Document:
    """One thing an answer can be about."""

    kind: str  # "service", "shared_article" or "local_article"
    key: str  # catalogue key or article slug
    version_id: int | None  # the published version of a service
    names: tuple[str, str]  # German, English
    lexicon: str  # names and search words, lower case: what typos are matched against
    text_de: str  # for German full-text search
    search_words: tuple[str, ...] = ()  # names and search words one by one (answers.searchwords)

    @property
    def topic(self) -> str:
        return f"{self.kind}:{self.key}"


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower case, two blanks before and one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass
class Part:
    """Documents with their vectors: row ``i`` of ``vectors`` belongs to ``documents[owners[i]]``."""

    documents: list[Document] = field(default_factory=list)
    vectors: Vectors = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    owners: list[int] = field(default_factory=list)
    model: str = ""
    # A number per build of a part in this process: what is remembered about a ranking over it holds while
    # the same build is used (a rebuild — generation moved, or the store cleared — starts afresh).
    build: int = field(default_factory=lambda: next(_builds))

    @cached_property
    def lexicon_trigrams(self) -> list[frozenset[str]]:
        """The trigrams of every word of each document's lexicon, as pg_trgm makes them; once per build."""
        return [
            frozenset(trigram for word in TRIGRAM_WORD.findall(document.lexicon) for trigram in trigrams(word))
            for document in self.documents
        ]


def _article_document(article: ArticleContent, kind: str) -> Document:
    lexicon = " ".join([article.title_de, article.title_en, article.keywords.replace(",", " ")])
    return Document(
        kind=kind,
        key=article.slug,
        version_id=None,
        names=(article.title_de, article.title_en or article.title_de),
        lexicon=lexicon.lower(),
        text_de=f"{article.title_de} {article.keywords} {article.body_de}",
        search_words=(article.title_de, article.title_en, *(word.strip() for word in article.keywords.split(","))),
    )


def _part(documents: list[Document], stored: list[tuple[bytes | memoryview, str]], dim: int, model: str) -> Part:
    rows: list[Vectors] = []
    owners: list[int] = []
    for position, (data, vector_model) in enumerate(stored):
        if vector_model != model or not data:
            continue  # not embedded yet, or by another model: found by words only until the task ran
        vectors = from_bytes(data, dim)
        rows.append(vectors)
        owners += [position] * len(vectors)
    matrix = np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)
    return Part(documents=documents, vectors=matrix, owners=owners, model=model)


def shared_part(model: str, dim: int) -> Part:
    """Published services (latest versions) and shared articles, read from the public schema."""
    documents: list[Document] = []
    stored: list[tuple[bytes | memoryview, str]] = []
    definitions = list(published_definitions().only("key", "latest_version_id").order_by("key"))
    embeddings = {
        e.version_id: (e.vectors, e.model)
        for e in ServiceEmbedding.objects.filter(version_id__in=[d.latest_version_id for d in definitions])
    }
    for definition in definitions:
        assert definition.latest_version_id is not None
        version = published_version(definition.latest_version_id)
        keywords = version.keywords or {}
        words = [*keywords.get("de", []), *keywords.get("en", [])]
        documents.append(
            Document(
                kind="service",
                key=definition.key,
                version_id=version.pk,
                names=(version.name_de, version.name_en or version.name_de),
                lexicon=" ".join([version.name_de, version.name_en, *words]).lower(),
                text_de="",  # services are ranked by their stored search vector
                search_words=(version.name_de, version.name_en, *words),
            )
        )
        stored.append(embeddings.get(version.pk, (b"", "")))
    for article in SharedArticle.objects.all():
        documents.append(_article_document(article, "shared_article"))
        stored.append((article.embedding, article.embedding_model))
    return _part(documents, stored, dim, model)


def local_part(model: str, dim: int) -> Part:
    """The current municipality's own articles."""
    articles = list(LocalArticle.objects.all())
    return _part(
        [_article_document(article, "local_article") for article in articles],
        [(article.embedding, article.embedding_model) for article in articles],
        dim,
        model,
    )


def generation_bump(*, shared: bool) -> None:
    """Tell every process that the shared part (or the current municipality's part) changed."""
    target = caches["platform"] if shared else cache
    try:
        if not target.add(GENERATION_KEY, 1, timeout=None):
            try:
                target.incr(GENERATION_KEY)
            except ValueError:
                target.set(GENERATION_KEY, 1, timeout=None)
    except CacheUnavailable:  # Redis away (logged once by amtsplatz.infra.cache): processes read a missing generation
        pass


class _Store:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shared: tuple[object, Part] | None = None
        self._local: OrderedDict[str, tuple[object, Part]] = OrderedDict()

    def parts(self, model: str, dim: int) -> tuple[Part, Part]:
        shared_generation = (caches["platform"].get(GENERATION_KEY), model)
        local_generation = (cache.get(GENERATION_KEY), model)
        schema = current_schema()
        with self._lock:
            shared = self._shared if self._shared and self._shared[0] == shared_generation else None
            local = self._local.get(schema)
            if local is not None and local[0] != local_generation:
                local = None
        if shared is None:
            shared = (shared_generation, shared_part(model, dim))
        if local is None:
            local = (local_generation, local_part(model, dim))
        with self._lock:
            self._shared = shared
            self._local[schema] = local
            self._local.move_to_end(schema)
            while len(self._local) > LOCAL_INDEXES_KEPT:
                self._local.popitem(last=False)
        return shared[1], local[1]

    def clear(self) -> None:
        with self._lock:
            self._shared = None
            self._local.clear()


store = _Store()
