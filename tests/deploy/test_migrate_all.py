"""migrate_all: skips schemas at the target, migrates the rest all-or-nothing, stops on a failure and recovers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.models import Municipality
from tenants.schema_migrations import (
    all_schema_names,
    migrate_schema,
    replay_schema,
    schema_states,
    schemas_behind,
    sql_replay,
)
from tenants.services import municipality_create, municipality_delete
from tests.conftest import PROJECT_ROOT, child_process_env

# No django_db mark: what these tests write must be committed, as in a real release, for the
# migrate_all processes to see it; every database access goes through django_db_blocker.unblock().
SCHEMAS = ["migtest_a", "migtest_b", "migtest_c"]
# themes 0002 adds the branding's colour and logo fields; it can be undone with what depends on it.
ROLLED_BACK = ("themes", "0002_branding_appearance")
ROLLED_BACK_TO = ("themes", "0001_initial")


def _undone_with(node: tuple[str, str]) -> int:
    """How many migrations rolling back to before ``node`` undoes: it and every migration depending on it."""
    from django.db.migrations.loader import MigrationLoader

    return len(MigrationLoader(None, ignore_no_migrations=True).graph.backwards_plan(node))


@pytest.fixture
def behind_schemas(django_db_blocker: Any, gera: Municipality, wurzen: Municipality) -> Iterator[list[str]]:
    """Three municipalities whose schemas are one migration behind (committed, like a real release)."""
    with django_db_blocker.unblock():
        for index, schema in enumerate(SCHEMAS):
            slug = schema.replace("_", "-")
            municipality_create(
                name=f"Migrierstadt {index}", slug=slug, domain=f"{slug}.localhost", ags=f"1499{index:04d}",
                state="14", admin_email=f"it@{slug}.example",
            )  # fmt: skip
            call_command("migrate_schemas", *ROLLED_BACK_TO, schema_name=schema, interactive=False, verbosity=0)
    try:
        yield SCHEMAS
    finally:
        with django_db_blocker.unblock():
            for municipality in Municipality.objects.filter(schema_name__in=SCHEMAS):
                municipality_delete(municipality)


def _migrate_all(django_db_blocker: Any, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "migrate_all", *arguments],
        env=child_process_env(django_db_blocker),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _recorded(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s', list(ROLLED_BACK)
        )
        return bool(cursor.fetchone()[0])


def _columns(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            [schema, "themes_branding"],
        )
        return {row[0] for row in cursor.fetchall()}


def test_one_query_tells_current_from_behind_schemas(behind_schemas: list[str], django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        states = schema_states(all_schema_names())
        assert schemas_behind(all_schema_names()) == behind_schemas
        assert not schema_states(["no_such_schema"])["no_such_schema"].exists
    assert states["gera"].current and states["wurzen"].current and states["template_municipality"].current
    assert states["public"].current
    assert not any(states[schema].current for schema in behind_schemas)


def test_migrate_all_skips_current_schemas_stops_on_failure_and_recovers(
    behind_schemas: list[str], django_db_blocker: Any
) -> None:
    failing = behind_schemas[1]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Someone added a column by hand: the migration that adds it fails in this schema only.
        cursor.execute(f'ALTER TABLE "{failing}".themes_branding ADD COLUMN accent_colour varchar(7)')

    check = _migrate_all(django_db_blocker, "--check")
    assert check.returncode == 1
    assert "3 schema(s) not at the target" in check.stderr

    first = _migrate_all(django_db_blocker, "--processes", "2")
    assert first.returncode == 1, first.stdout + first.stderr
    assert f"{failing}: django.db.utils.ProgrammingError" in first.stderr
    assert 'column "accent_colour" of relation "themes_branding" already exists' in first.stderr
    assert "3 to migrate" in first.stdout
    # The schemas at the target were not touched: gera and wurzen appear in no progress line.
    assert "gera:" not in first.stdout and "wurzen:" not in first.stdout

    with django_db_blocker.unblock():
        # The failing schema is unchanged: not recorded, and none of the migration's other columns exist.
        assert not _recorded(failing)
        assert "contact_address" not in _columns(failing)
        # Every other schema is either fully migrated or untouched, never in between.
        for schema in behind_schemas:
            columns = _columns(schema)
            assert _recorded(schema) == ("contact_address" in columns)
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{failing}".themes_branding DROP COLUMN accent_colour')

    second = _migrate_all(django_db_blocker, "--processes", "2")
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{failing}: {_undone_with(ROLLED_BACK)} migration(s)" in second.stdout
    with django_db_blocker.unblock():
        assert all(_recorded(schema) for schema in behind_schemas)
        assert schemas_behind(all_schema_names()) == []

    third = _migrate_all(django_db_blocker)
    assert third.returncode == 0
    assert "3/3 municipality schemas: all at the target" in third.stdout
    assert _migrate_all(django_db_blocker, "--check").returncode == 0


def test_a_release_that_adds_models_gives_them_their_permissions(
    behind_schemas: list[str], django_db_blocker: Any
) -> None:
    # migrate_all sends the post-migrate signals (content types, permissions) when a plan adds models.
    schema = behind_schemas[0]
    with django_db_blocker.unblock():
        call_command("migrate_schemas", "participation", "zero", schema_name=schema, interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(
                f'DELETE FROM "{schema}".auth_permission WHERE content_type_id IN '
                "(SELECT id FROM public.django_content_type WHERE app_label = 'participation')"
            )

    result = _migrate_all(django_db_blocker, "--processes", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    undone = _undone_with(ROLLED_BACK) + _undone_with(("participation", "0001_initial"))  # the fixture's and ours
    assert f"{schema}: {undone} migration(s)" in result.stdout

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            f'SELECT p.codename FROM "{schema}".auth_permission p '
            "JOIN public.django_content_type c ON c.id = p.content_type_id WHERE c.app_label = 'participation'"
        )
        codenames = {row[0] for row in cursor.fetchall()}
        assert {"add_report", "change_report", "view_idea"} <= codenames
        assert schemas_behind(all_schema_names()) == []


# A release that only adds a column (wagtailusers 0015): its SQL can be replayed in every schema.
REPLAYED = ("wagtailusers", "0015_userprofile_keyboard_shortcuts")
REPLAYED_BACK_TO = ("wagtailusers", "0014_userprofile_contrast")


@pytest.fixture
def column_behind(django_db_blocker: Any, behind_schemas: list[str]) -> list[str]:
    """The three municipalities, brought to the target but one added column (committed)."""
    with django_db_blocker.unblock():
        for schema in behind_schemas:
            migrate_schema(schema)
            call_command("migrate_schemas", *REPLAYED_BACK_TO, schema_name=schema, interactive=False, verbosity=0)
    return behind_schemas


def _structure(schema: str) -> dict[str, list[Any]]:
    """What the release shapes: the table's columns, constraints and indexes by definition, and the records."""
    table = "wagtailusers_userprofile"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY 1",
            [schema, table],
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT conname, replace(pg_get_constraintdef(oid), %s, '') FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [f"{schema}.", f'"{schema}".{table}'],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes WHERE schemaname = %s AND tablename = %s "
            "ORDER BY 1",
            [f"{schema}.", schema, table],
        )
        indexes = cursor.fetchall()
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY 1, 2')
        recorded = cursor.fetchall()
    return {"columns": columns, "constraints": constraints, "indexes": indexes, "recorded": recorded}


def test_a_replayed_release_ends_where_djangos_migrate_ends(column_behind: list[str], django_db_blocker: Any) -> None:
    by_django, *replayed = column_behind
    with django_db_blocker.unblock():
        replay = sql_replay(replayed[0])
        migrate_schema(by_django)
    assert replay is not None
    assert replay.migrations == (REPLAYED,)
    assert "ADD COLUMN" in replay.sql and replayed[0] not in replay.sql  # unqualified: the search path decides

    result = _migrate_all(django_db_blocker, "--processes", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is replayed in each schema" in result.stdout
    assert all(f"{schema}: 1 migration(s)" in result.stdout for schema in replayed)
    with django_db_blocker.unblock():
        assert schemas_behind(all_schema_names()) == []
        expected = _structure(by_django)
        assert "keyboard_shortcuts" in {column[0] for column in expected["columns"]}
        for schema in replayed:
            assert _structure(schema) == expected


def test_a_failing_schema_is_left_unchanged_and_the_rest_replayed(
    column_behind: list[str], django_db_blocker: Any
) -> None:
    failing = column_behind[1]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{failing}".wagtailusers_userprofile ADD COLUMN keyboard_shortcuts integer')
    first = _migrate_all(django_db_blocker, "--processes", "1")
    assert first.returncode == 1
    assert f"{failing}: django.db.utils.ProgrammingError" in first.stderr
    with django_db_blocker.unblock():
        assert schemas_behind(column_behind) == column_behind[1:]  # one at a time: the third never started
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{failing}".wagtailusers_userprofile DROP COLUMN keyboard_shortcuts')
    second = _migrate_all(django_db_blocker)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{failing}: 1 migration(s)" in second.stdout
    with django_db_blocker.unblock():
        assert schemas_behind(all_schema_names()) == []


def test_a_schema_at_other_migrations_is_migrated_by_django(column_behind: list[str], django_db_blocker: Any) -> None:
    sample, other, _third = column_behind
    with django_db_blocker.unblock():
        replay = sql_replay(sample)
        assert replay is not None
        call_command("migrate_schemas", *ROLLED_BACK_TO, schema_name=other, interactive=False, verbosity=0)
        assert replay_schema(other, replay) == _undone_with(ROLLED_BACK) + 1
        assert replay_schema(sample, replay) == 1
        assert all(state.current for state in schema_states([sample, other]).values())


def test_a_release_with_model_changes_is_not_replayed(behind_schemas: list[str], django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        # themes 0003 creates a model: content types and permissions need the post-migrate signals.
        assert sql_replay(behind_schemas[0]) is None
