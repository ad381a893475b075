"""Writes of answers: storing embeddings (called by the tasks in answers.tasks)."""

from __future__ import annotations

import hashlib

from django.db import transaction

from answers.embedders import embedder
from answers.embedders.base import to_bytes
from answers.index import generation_bump
from answers.local.models import LocalArticle
from answers.models import ServiceEmbedding, SharedArticle
from services_catalog.models import ServiceVersion


def service_passages(version: ServiceVersion) -> list[str]:
    """What is embedded of a service, per language: the name with its search words, and the name with the
    plain-language texts.

    Two short passages instead of one long one: a question in everyday words ("altes Sofa loswerden")
    meets a search word in a short passage at a clearly higher cosine than the same word diluted by a
    paragraph of text; a question about the matter itself meets the texts. A document scores its best row.
    """
    passages = []
    for language in ("de", "en"):
        if language == "en" and not version.name_en:
            continue
        name = version.name(language)
        keywords = ", ".join((version.keywords or {}).get(language) or [])
        texts = " ".join(version.text(module, language) for module in ("teaser", "kurztext"))
        passages += [f"{name}. {keywords}" if keywords else name, f"{name}. {texts}"]
    return passages


def _passages_hash(passages: list[str]) -> str:
    return hashlib.sha256("\x1f".join(passages).encode()).hexdigest()


@transaction.atomic
def service_embedding_store(*, version_id: int) -> bool:
    """Embed one published version unless the configured model already embedded these passages; returns whether
    it embedded."""
    model = embedder()
    version = ServiceVersion.objects.defer("search_vector").get(pk=version_id)
    passages = service_passages(version)
    text_hash = _passages_hash(passages)
    existing = ServiceEmbedding.objects.select_for_update().filter(version=version).first()
    if existing is not None and existing.model == model.name and existing.text_hash == text_hash:
        return False
    vectors = to_bytes(model.passages(passages))
    ServiceEmbedding.objects.update_or_create(
        version=version, defaults={"model": model.name, "vectors": vectors, "text_hash": text_hash}
    )
    transaction.on_commit(lambda: generation_bump(shared=True))
    return True


@transaction.atomic
def article_embedding_store(*, shared: bool, article_id: int) -> bool:
    """Embed one article unless its text and the model are unchanged; returns whether it embedded."""
    model = embedder()
    manager = SharedArticle.objects if shared else LocalArticle.objects
    article = manager.select_for_update().filter(pk=article_id).first()
    if article is None:
        return False  # deleted meanwhile
    text_hash = _passages_hash(article.passages())
    if article.embedding_model == model.name and article.embedding_text_hash == text_hash:
        return False
    vectors = to_bytes(model.passages(article.passages()))
    # update() rather than save(): a save would signal another embedding task.
    manager.filter(pk=article.pk).update(embedding=vectors, embedding_model=model.name, embedding_text_hash=text_hash)
    transaction.on_commit(lambda: generation_bump(shared=shared))
    return True


def embeddings_refresh() -> int:
    """Embed whatever is missing or stale in the public schema (published services, shared articles)."""
    from services_catalog.selectors import published_definitions

    done = 0
    for definition in published_definitions().only("latest_version_id"):
        assert definition.latest_version_id is not None
        done += service_embedding_store(version_id=definition.latest_version_id)
    for article_id in SharedArticle.objects.values_list("pk", flat=True):
        done += article_embedding_store(shared=True, article_id=article_id)
    return done


def local_embeddings_refresh() -> int:
    """Embed whatever is missing or stale among the current municipality's articles."""
    return sum(
        article_embedding_store(shared=False, article_id=pk) for pk in LocalArticle.objects.values_list("pk", flat=True)
    )
