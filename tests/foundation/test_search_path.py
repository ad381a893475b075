"""The database wrapper sends ``SET search_path`` only when needed, and never leaves a statement in the wrong schema.

Each scenario runs on a connection of its own (outside the test's transaction, so rollbacks are real)
that stands in as Django's default connection. Every scenario that involves a rollback or a new session
is also run against a *naive* wrapper that remembers the last SET it sent without forgetting it on
rollback or reconnect (what a "limit SET calls" switch does when it trusts itself): there the same
scenario runs a statement in another municipality's schema, which shows the scenario would catch it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from tenant_schemas_celery.task import _shared_storage

from amtsplatz.celery import app
from amtsplatz.infra.db_backend.base import DatabaseWrapper
from tenants.db import use_municipality, use_public_schema
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


class NaiveWrapper(DatabaseWrapper):
    """Remembers the path it last sent through rollbacks and reconnects: the unsafe shortcut."""

    def rollback(self) -> None:
        remembered = self.search_path_in_effect
        super().rollback()
        self.search_path_in_effect = remembered

    def savepoint_rollback(self, sid: str) -> None:
        remembered = self.search_path_in_effect
        super().savepoint_rollback(sid)
        self.search_path_in_effect = remembered

    def close(self) -> None:
        remembered = self.search_path_in_effect
        super().close()
        self.search_path_in_effect = remembered

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        remembered = self.search_path_in_effect
        new = super().get_new_connection(conn_params)
        self.search_path_in_effect = remembered
        return new


class Oops(Exception):
    pass


# With tenant-schemas-celery's tenant cache on (a production option), a task enters its schema without a
# statement of its own in between: the next statement relies on what the wrapper believes.
@app.task(name="tests.search_path.schema_probe", tenant_cache_seconds=60)
def schema_probe() -> str:
    """Where this task's statements run."""
    return _schema_of_next_statement()


@app.task(name="tests.search_path.failing_visit", tenant_cache_seconds=60)
def failing_visit() -> None:
    """A platform task that visits a municipality inside its transaction, which then fails."""
    with transaction.atomic(), schema_context("gera"):
        _schema_of_next_statement()
        raise Oops


def _schema_of_next_statement() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return str(cursor.fetchone()[0])


def _use(schema: str) -> None:
    use_municipality(Municipality.objects.get(schema_name=schema)) if schema != "public" else use_public_schema()


def after_full_rollback() -> str:
    """A SET sent inside a transaction that is rolled back is undone by PostgreSQL."""
    _use("wurzen")
    _schema_of_next_statement()
    with pytest.raises(Oops), transaction.atomic():
        _use("gera")
        _schema_of_next_statement()
        raise Oops
    _use("gera")
    return _schema_of_next_statement()


def after_savepoint_rollback() -> str:
    """ROLLBACK TO SAVEPOINT undoes a SET sent after the savepoint; the outer transaction goes on."""
    with transaction.atomic():
        _use("wurzen")
        _schema_of_next_statement()
        with pytest.raises(Oops), transaction.atomic():
            _use("gera")
            _schema_of_next_statement()
            raise Oops
        _use("gera")
        return _schema_of_next_statement()


def after_reconnect() -> str:
    """A new session starts with the server's default path, whatever the old one had."""
    _use("gera")
    _schema_of_next_statement()
    connection.close()
    _use("gera")
    return _schema_of_next_statement()


def celery_task_after_failed_task() -> str:
    """A worker runs tasks of the platform and of municipalities on one connection; one task's transaction fails."""
    _shared_storage.clear()
    assert schema_probe.apply(headers={"_schema_name": "gera"}).get() == "gera"
    assert schema_probe.apply(headers={"_schema_name": "public"}).get() == "public"
    assert failing_visit.apply(headers={"_schema_name": "public"}).failed()
    return str(schema_probe.apply(headers={"_schema_name": "gera"}).get())


SCENARIOS: dict[str, tuple[Callable[[], str], str]] = {
    "full rollback": (after_full_rollback, "gera"),
    "savepoint rollback": (after_savepoint_rollback, "gera"),
    "reconnect": (after_reconnect, "gera"),
    "celery task after a failed task": (celery_task_after_failed_task, "gera"),
}


def _own_connection(wrapper_class: type[DatabaseWrapper]) -> Iterator[DatabaseWrapper]:
    original = connections["default"]
    own = wrapper_class(dict(connections.settings["default"]), "default")
    connections["default"] = own
    try:
        yield own
    finally:
        own.close()
        connections["default"] = original


@pytest.fixture
def own_connection(gera: Municipality, wurzen: Municipality) -> Iterator[DatabaseWrapper]:
    yield from _own_connection(DatabaseWrapper)


@pytest.fixture
def naive_connection(gera: Municipality, wurzen: Municipality) -> Iterator[DatabaseWrapper]:
    yield from _own_connection(NaiveWrapper)


@pytest.fixture(autouse=True)
def _no_cached_tenants_for_other_tests() -> Iterator[None]:
    yield
    _shared_storage.clear()


@pytest.mark.parametrize("name", SCENARIOS)
def test_statements_run_in_the_selected_schema(own_connection: DatabaseWrapper, name: str) -> None:
    scenario, expected = SCENARIOS[name]
    assert scenario() == expected


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_naive_shortcut_runs_them_in_another_schema(naive_connection: DatabaseWrapper, name: str) -> None:
    scenario, expected = SCENARIOS[name]
    assert scenario() != expected


def test_requests_of_different_municipalities_on_one_connection(
    own_connection: DatabaseWrapper, gera_client: Client, wurzen_client: Client
) -> None:
    """Persistent connection, requests alternating between municipalities: SET only when the schema changes."""
    for client in (gera_client, wurzen_client):  # host lookups cached
        client.get("/")
    sets_per_request = []
    for client, name in ((gera_client, "Stadt Gera"), (gera_client, "Stadt Gera"), (wurzen_client, "Stadt Wurzen"),
                         (gera_client, "Stadt Gera"), (gera_client, "Stadt Gera")):  # fmt: skip
        with CaptureQueriesContext(own_connection) as queries:
            body = client.get("/").content.decode()
        assert f'<span class="brand-name">{name}</span>' in body
        sets_per_request.append(sum(query["sql"].startswith("SET search_path") for query in queries.captured_queries))
    assert sets_per_request == [1, 0, 1, 1, 0]


def test_entering_a_schema_sends_nothing_until_a_statement_needs_it(own_connection: DatabaseWrapper) -> None:
    with CaptureQueriesContext(own_connection) as queries:
        with schema_context("gera"), schema_context("wurzen"):
            pass
        own_connection.set_schema("gera")
        own_connection.set_schema_to_public()
    assert queries.captured_queries == []
    with CaptureQueriesContext(own_connection) as queries:
        assert _schema_of_next_statement() == "public"
        assert _schema_of_next_statement() == "public"
    assert [query["sql"] for query in queries.captured_queries].count('SET search_path = "public"') <= 1


def test_raw_set_by_schema_cloning_is_not_trusted(own_connection: DatabaseWrapper) -> None:
    _use("gera")
    _schema_of_next_statement()
    with own_connection.cursor() as cursor:
        cursor.execute('SET search_path = "wurzen", "public"')
    own_connection.search_path_changed()
    assert _schema_of_next_statement() == "gera"


def test_content_types_live_in_public_only() -> None:
    """Why switching schemas may keep Django's ContentType cache: one table, in public, for every schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = 'django_content_type'")
        assert [row[0] for row in cursor.fetchall()] == ["public"]
