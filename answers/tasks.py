"""Background work of answers: embeddings, computed once per published version or saved article."""

from __future__ import annotations

from amtsplatz.celery import app


@app.task(name="answers.embed_service_version", acks_late=True)
def embed_service_version(version_id: int) -> bool:
    from answers.services import service_embedding_store

    return service_embedding_store(version_id=version_id)


@app.task(name="answers.embed_article", acks_late=True)
def embed_article(shared: bool, article_id: int) -> bool:
    """Runs in the schema it was queued from: the public one for shared articles, the municipality's else."""
    from answers.services import article_embedding_store

    return article_embedding_store(shared=shared, article_id=article_id)


@app.task(name="answers.refresh_embeddings")
def refresh_embeddings() -> int:
    """Embeds what a broker outage or a model change left behind (public schema)."""
    from answers.services import embeddings_refresh

    return embeddings_refresh()


@app.task(name="answers.refresh_local_embeddings")
def refresh_local_embeddings() -> int:
    """The same for one municipality's articles (queued per municipality by ``tenants.fan_out``)."""
    from answers.services import local_embeddings_refresh

    return local_embeddings_refresh()
