"""Whole-database backups and the restore drill, against the real test database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from amtsplatz.infra import backups
from amtsplatz.infra.backups import (
    LockBudget,
    LockTableTooSmallError,
    backup_check,
    backup_create,
    inventory,
    inventory_differences,
    lock_budget,
    restore_drill,
)
from tenants.models import Municipality
from tests.conftest import PROJECT_ROOT, child_process_env, database_url

# No django_db mark: pg_dump and the drill read what is committed (the session's municipalities).


@pytest.fixture
def test_database_url(django_db_blocker: Any, gera: Municipality, wurzen: Municipality) -> str:
    with django_db_blocker.unblock():
        return database_url(connection.settings_dict)


def test_restore_drill_command_restores_every_schema_table_by_table(
    test_database_url: str, django_db_blocker: Any, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_drill", "--workdir", str(tmp_path)],
        env=child_process_env(django_db_blocker),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore drill passed" in result.stdout
    assert len(list(tmp_path.glob("amtsplatz-*.dump"))) == 1
    restored = inventory(test_database_url)
    assert {"public", "template_municipality", "gera", "wurzen"} <= restored.schemas


def test_the_drill_notices_a_restore_that_lost_rows(test_database_url: str, tmp_path: Path) -> None:
    report = restore_drill(database_url=test_database_url, workdir=tmp_path, keep_database=True)
    assert report.differences == []
    scratch_url = urlunsplit(urlsplit(test_database_url)._replace(path=f"/{report.restored_database}"))
    maintenance = urlunsplit(urlsplit(test_database_url)._replace(path="/postgres"))
    try:
        with psycopg.connect(scratch_url, autocommit=True) as restored:
            restored.execute(
                "DELETE FROM gera.django_migrations WHERE id = (SELECT max(id) FROM gera.django_migrations)"
            )
        differences = inventory_differences(inventory(test_database_url), inventory(scratch_url))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{report.restored_database}" WITH (FORCE)')
    assert len(differences) == 1
    assert differences[0].startswith("gera.django_migrations: ")
    assert differences[0].endswith(" restored")


def test_backups_keep_the_newest_and_a_corrupt_dump_is_refused(test_database_url: str, tmp_path: Path) -> None:
    first = backup_create(database_url=test_database_url, output=tmp_path, keep=1)
    first_name = first.name
    # Dump names carry the second; wait for the next one so the second dump is newer.
    import time

    time.sleep(1.1)
    second = backup_create(database_url=test_database_url, output=tmp_path, keep=1)
    assert [path.name for path in tmp_path.glob("amtsplatz-*.dump")] == [second.name]
    assert second.name != first_name
    backup_check(second)
    data = bytearray(second.read_bytes())
    data[len(data) // 2] ^= 0xFF
    second.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="does not match its checksum"):
        backup_check(second)


def test_the_lock_budget_is_read_from_the_server(test_database_url: str) -> None:
    budget = lock_budget(test_database_url)
    with psycopg.connect(test_database_url) as conn:
        row = conn.execute(
            "SELECT current_setting('max_locks_per_transaction')::int * (current_setting('max_connections')::int"
            " + current_setting('max_prepared_transactions')::int), (SELECT count(*) FROM pg_class WHERE relkind = 'r')"
        ).fetchone()
    assert row is not None
    assert budget.slots == row[0]
    assert budget.tables >= row[1] > 0
    assert budget.fits  # a test database with a few municipalities


def test_a_dump_the_lock_table_cannot_hold_is_refused_before_it_starts(
    test_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fleet of 1,000 municipalities on the server defaults: ~100,000 tables, 64 × 100 lock slots.
    fleet = LockBudget(tables=100_000, slots=6_400, connections=100)
    assert not fleet.fits and fleet.needed_max_locks_per_transaction == 2_000
    monkeypatch.setattr(backups, "lock_budget", lambda url: fleet)
    with pytest.raises(LockTableTooSmallError, match="max_locks_per_transaction to at least 2000"):
        backup_create(database_url=test_database_url, output=tmp_path / "dumps")
    assert not (tmp_path / "dumps").exists()
