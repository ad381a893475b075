"""A municipality schema carries no index that serves no query (issue 26, ADR 0093).

Reads the real catalogue of the migrated template and of a cloned municipality. A new indexed or
unique ``CharField`` brings a pattern index (``…_like``) and a new foreign key beside a unique pair
brings a redundant one: both cost every municipality a relation and fail here until dropped by a
migration (or, for a pattern index a prefix search really uses, listed in
``tenants.fixed_cost.PATTERN_INDEXES_IN_USE``).
"""

from __future__ import annotations

import pytest
from django.db import connection

from tenants import citus
from tenants.fixed_cost import PATTERN_INDEXES_IN_USE, redundant_indexes, schema_cost, unused_pattern_indexes
from tenants.models import Municipality
from tenants.services import municipality_create
from tenants.template_schema import template_schema_name

pytestmark = pytest.mark.django_db


def test_the_template_has_no_unused_pattern_index() -> None:
    assert unused_pattern_indexes(template_schema_name()) == []


def test_the_template_has_no_redundant_index() -> None:
    assert redundant_indexes(template_schema_name()) == []


def test_a_cloned_municipality_has_neither(gera: Municipality) -> None:
    assert unused_pattern_indexes(gera.schema_name) == []
    assert redundant_indexes(gera.schema_name) == []


def test_the_pattern_indexes_kept_exist() -> None:
    """The kept list names real indexes (a renamed one would silently stop being checked)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_class i JOIN pg_namespace n ON n.oid = i.relnamespace "
            "WHERE n.nspname = %s AND i.relname = ANY(%s)",
            [template_schema_name(), list(PATTERN_INDEXES_IN_USE)],
        )
        found = {name for (name,) in cursor.fetchall()}
    assert found == PATTERN_INDEXES_IN_USE


def test_the_checks_see_what_they_look_for() -> None:
    """On a throw-away schema with one of each kind, both checks report it (so they cannot pass blindly)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE SCHEMA cost_probe; "
            "CREATE TABLE cost_probe.t (a integer, b integer, code varchar(10), UNIQUE (a, b)); "
            "CREATE INDEX t_a ON cost_probe.t (a); "
            "CREATE INDEX t_code_like ON cost_probe.t (code varchar_pattern_ops)"
        )
    assert unused_pattern_indexes("cost_probe") == ["t_code_like"]
    assert redundant_indexes("cost_probe") == [("t_a", "t_a_b_key")]
    cost = schema_cost("cost_probe")
    assert (cost.tables, cost.indexes) == (1, 3)
    assert cost.pg_index_rows == 3


def test_the_migration_dropped_nothing_in_public() -> None:
    """The drop runs in the municipality schema only: public's auth tables keep their indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class i JOIN pg_namespace n ON n.oid = i.relnamespace "
            "WHERE n.nspname = 'public' AND i.relname IN "
            "('auth_permission_content_type_id_2f476e4b', 'auth_user_username_6821ab7c_like')"
        )
        (kept,) = cursor.fetchone()
    assert kept == 2


def _public_triggers() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
        )
        return int(cursor.fetchone()[0])


def test_no_foreign_key_leaves_the_template_or_a_clone(gera: Municipality) -> None:
    """A key into public puts two triggers on the public table: every clone would then slow down the next (ADR 0097)."""
    assert citus.foreign_keys_leaving(template_schema_name()) == []
    assert citus.foreign_keys_leaving(gera.schema_name) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = %s::regnamespace",
            [gera.schema_name],
        )
        assert cursor.fetchone()[0] > 0, "the keys inside the schema stay"


def test_onboarding_adds_no_trigger_to_public_tables() -> None:
    before = _public_triggers()
    municipality_create(
        name="Stadt Oederan", slug="oederan", domain="oederan.localhost", ags="14522450", state="14",
        admin_email="it@oederan.example",
    )  # fmt: skip
    assert _public_triggers() == before
