"""Hooks that queue embedding work: a catalogue version published, an article saved or deleted."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from tenants.tasks import enqueue_on_commit


def _version_published(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        enqueue_on_commit(
            "answers.embed_service_version", [instance.pk], what="the embedding of a published service version"
        )


def _article_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from answers.models import SharedArticle

    shared = isinstance(instance, SharedArticle)
    _bump_on_commit(shared=shared)  # new words are found at once, the meaning once the task ran
    enqueue_on_commit("answers.embed_article", [shared, instance.pk], what="the embedding of a knowledge article")


def _article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from answers.models import SharedArticle

    _bump_on_commit(shared=isinstance(instance, SharedArticle))


def _bump_on_commit(*, shared: bool) -> None:
    from django.db import transaction

    from answers.index import generation_bump

    transaction.on_commit(lambda: generation_bump(shared=shared))


def _forget_portal_facts(**kwargs: Any) -> None:
    from answers.selectors import portal_facts

    portal_facts.invalidate()


def connect() -> None:
    from wagtail.models import Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from answers.local.models import LocalArticle
    from answers.models import SharedArticle
    from answers.selectors import portal_facts
    from services_catalog.local.models import LocalService
    from services_catalog.models import ServiceDefinition, ServiceVersion
    from themes.models import Branding

    portal_facts.forget_on_change(Site, Branding, LocalService, ServiceDefinition)
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_forget_portal_facts, dispatch_uid=f"answers_portal_facts_{id(signal)}")

    post_save.connect(_version_published, sender=ServiceVersion, dispatch_uid="answers_version_published")
    for model in (SharedArticle, LocalArticle):
        post_save.connect(_article_saved, sender=model, dispatch_uid=f"answers_saved_{model._meta.label}")
        post_delete.connect(_article_deleted, sender=model, dispatch_uid=f"answers_deleted_{model._meta.label}")
