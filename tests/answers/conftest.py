"""Fixtures for the question box: seed services published and embedded, adopted in Gera and Wurzen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_tenants.utils import schema_context

from answers.index import store
from answers.local.models import LocalArticle
from answers.services import article_embedding_store, service_embedding_store
from demo.seed import SEED_CATALOGUE
from services_catalog.exchange import catalogue_files_read
from services_catalog.local.models import LocalService
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from services_catalog.services import definition_save_draft, service_publish
from tenants.models import Municipality

SERVICES = ("wohnsitz-anmeldung", "hundesteuer-anmeldung", "sperrmuell", "fundsache", "meldebescheinigung")


def seed_service(key: str) -> ServiceDefinition:
    """Publish one service of the shipped seed catalogue (once per test database)."""
    existing = ServiceDefinition.objects.filter(key=key).first()
    if existing and existing.latest_version_id:
        return existing
    documents = catalogue_files_read([SEED_CATALOGUE])["services"]
    definition = definition_save_draft(document=next(d for d in documents if d["key"] == key))
    service_publish(definition=definition)
    definition.refresh_from_db()
    return definition


def local_article(schema: str, **fields: Any) -> LocalArticle:
    """An article of one municipality, embedded as the task would."""
    with schema_context(schema):
        article = LocalArticle.objects.create(**fields)
        article_embedding_store(shared=False, article_id=article.pk)
        return article


@pytest.fixture
def answers_ready(gera: Municipality, wurzen: Municipality, db: None) -> Iterator[None]:
    """Seed services published and embedded; Gera and Wurzen offer them with their own office."""
    for key in SERVICES:
        definition = seed_service(key)
        assert definition.latest_version_id is not None
        service_embedding_store(version_id=definition.latest_version_id)
        for municipality, office in ((gera, "Bürgerservice Gera"), (wurzen, "Bürgerbüro Wurzen")):
            with schema_context(municipality.schema_name):
                if not LocalService.objects.filter(definition=definition).exists():
                    service_adopt(definition=definition, office_name=office, office_phone="0365 111")
    store.clear()  # the generation counters move on commit, which a test's transaction never reaches
    yield
    store.clear()
