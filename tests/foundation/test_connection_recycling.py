"""A connection that has served N municipality schemas is closed after its request (issue 26)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tenants.models import Municipality


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@pytest.fixture
def autocommit_db(gera: Municipality, wurzen: Municipality, django_db_blocker: Any) -> Any:
    """Database access outside a test transaction, on a fresh session: requests end as in production.

    Needs the test database that the ``db`` test below makes pytest-django set up.
    """
    with django_db_blocker.unblock():
        connection.close()  # the session that set up the fixtures has served their schemas
        yield
        connection.close()


def test_the_connection_is_closed_after_the_nth_schema(autocommit_db: None, settings: Any) -> None:
    settings.AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS = 2
    first_pid = _backend_pid()
    assert Client(HTTP_HOST="gera.localhost").get("/").status_code == 200
    assert connection.connection is not None and connection.schemas_served == {"gera"}  # type: ignore[attr-defined]
    assert Client(HTTP_HOST="wurzen.localhost").get("/").status_code == 200
    assert connection.connection is None  # closed: two schemas served
    response = Client(HTTP_HOST="gera.localhost").get("/")
    assert response.status_code == 200 and "Stadt Gera" in response.content.decode()
    assert _backend_pid() != first_pid and connection.schemas_served == {"gera"}  # type: ignore[attr-defined]


def test_off_by_default_the_connection_stays(autocommit_db: None, settings: Any) -> None:
    settings.AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS = 0
    first_pid = _backend_pid()
    for host in ("gera.localhost", "wurzen.localhost", "gera.localhost"):
        assert Client(HTTP_HOST=host).get("/").status_code == 200
    assert _backend_pid() == first_pid


def test_never_closed_inside_a_transaction(gera: Municipality, wurzen: Municipality, settings: Any, db: None) -> None:
    settings.AMTSPLATZ_DB_RECYCLE_AFTER_SCHEMAS = 1
    assert Client(HTTP_HOST="gera.localhost").get("/").status_code == 200
    assert connection.in_atomic_block and connection.connection is not None
