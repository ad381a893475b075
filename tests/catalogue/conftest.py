"""The seed catalogue, imported once per test module and adopted by Gera, then rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from demo.seed import seed_catalogue
from services_catalog.local.services import service_adopt
from services_catalog.models import ServiceDefinition
from services_catalog.services import ImportReport
from tenants.models import Municipality


@pytest.fixture(scope="module")
def seeded_catalogue(django_db_blocker: Any, gera: Municipality) -> Iterator[ImportReport]:
    """Importing 80+ services takes seconds; doing it once per module keeps the tests quick.

    Everything happens inside one transaction that is rolled back when the module is done, so
    other tests never see the seed (each test's own transaction is a savepoint inside it).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_catalogue()
        with schema_context("gera"):
            for definition in ServiceDefinition.objects.all():
                service_adopt(definition=definition)
        yield report
        transaction.set_rollback(True)
