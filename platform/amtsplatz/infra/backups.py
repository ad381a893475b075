"""Whole-database backups with pg_dump, restore with pg_restore, and a restore drill that proves both.

One dump holds every schema (public, the template and all municipalities), so a restore brings the
platform back consistent. A single municipality's data is exported separately (the office's
per-municipality export); see deploy/README.md, "Backups". Decisions: docs/decisions/0013-backups.md.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

PREFIX = "amtsplatz-"
SUFFIX = ".dump"


def _libpq_env(url: str) -> dict[str, str]:
    """pg_dump/pg_restore connection settings from a postgresql:// URL (the password never on a command line)."""
    params = conninfo_to_dict(url)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    return {**os.environ, **{names[key]: str(value) for key, value in params.items() if key in names and value}}


def _client(tool: str, url: str) -> str:
    """A ``pg_dump``/``pg_restore`` at least as new as the server (older ones refuse to dump a newer server).

    Looked for in AMTSPLATZ_PG_BIN, on PATH, and in the embedded PostgreSQL's installation.
    """
    with psycopg.connect(url, autocommit=True) as connection:
        server_major = connection.info.server_version // 10000
    candidates = []
    if os.environ.get("AMTSPLATZ_PG_BIN"):
        candidates.append(str(Path(os.environ["AMTSPLATZ_PG_BIN"]) / tool))
    candidates.append(shutil.which(tool) or "")
    try:
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / tool))
    except ImportError:
        pass
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=True).stdout
            match = re.search(r"(\d+)(?:\.\d+)?", version)
            if match and int(match.group(1)) >= server_major:
                return candidate
    raise RuntimeError(f"No {tool} of PostgreSQL {server_major} or newer found; set AMTSPLATZ_PG_BIN to its folder.")


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


class LockTableTooSmallError(RuntimeError):
    """pg_dump would need more of the server's shared lock table than it may take."""


@dataclass(frozen=True)
class LockBudget:
    """What a whole-database pg_dump locks, against what the server's shared lock table holds.

    pg_dump holds an ACCESS SHARE lock on every table it dumps until it ends, all in one transaction.
    The lock table is shared by every session: ``max_locks_per_transaction`` × (``max_connections`` +
    ``max_prepared_transactions``) slots (PostgreSQL documentation, "Lock Management"). A dump that
    takes them all makes every other session's next lock fail with "out of shared memory" — the
    platform's requests included — so the dump may take half of them at most.
    """

    tables: int
    slots: int
    connections: int

    @property
    def fits(self) -> bool:
        return self.tables <= self.slots // 2

    @property
    def needed_max_locks_per_transaction(self) -> int:
        return -(-2 * self.tables // self.connections)


def lock_budget(database_url: str) -> LockBudget:
    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p', 'm', 'f')), "
            "current_setting('max_locks_per_transaction')::int, "
            "current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int"
        ).fetchone()
    tables, per_transaction, connections = row if row else (0, 0, 1)
    return LockBudget(tables=int(tables), slots=int(per_transaction) * int(connections), connections=int(connections))


def backup_create(*, database_url: str, output: Path, keep: int = 0) -> Path:
    """Dump the whole database (custom format, compressed) to ``output``; keep the newest ``keep`` dumps.

    Refuses (:class:`LockTableTooSmallError`) before dumping when the server's lock table is too small for
    the tables of every municipality (see :class:`LockBudget`; ADR 0097 sizes the setting).
    """
    budget = lock_budget(database_url)
    if not budget.fits:
        raise LockTableTooSmallError(
            f"Not dumped: the database has {budget.tables} tables, and pg_dump locks each of them; the server's "
            f"lock table holds {budget.slots} locks for all sessions. Set max_locks_per_transaction to at least "
            f"{budget.needed_max_locks_per_transaction} (restart needed; see deploy/README.md, 'Backups')."
        )
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output / f"{PREFIX}{stamp}{SUFFIX}"
    partial = target.with_suffix(".partial")
    subprocess.run(
        [_client("pg_dump", database_url), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
        env=_libpq_env(database_url),
        check=True,
        capture_output=True,
    )
    partial.rename(target)  # a dump that exists under its final name is complete
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n")
    if keep > 0:
        for old in sorted(output.glob(f"{PREFIX}*{SUFFIX}"))[:-keep]:
            old.unlink()
            old.with_name(old.name + ".sha256").unlink(missing_ok=True)
    return target


def backup_check(dump: Path) -> None:
    """Raise if the dump does not match its recorded checksum."""
    recorded = dump.with_name(dump.name + ".sha256").read_text().split()[0]
    if hashlib.sha256(dump.read_bytes()).hexdigest() != recorded:
        raise ValueError(f"{dump} does not match its checksum: do not restore it.")


def backup_restore(*, dump: Path, database_url: str) -> None:
    """Restore ``dump`` into the (new, empty) database of ``database_url``."""
    backup_check(dump)
    result = subprocess.run(
        [
            _client("pg_restore", database_url),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={_libpq_env(database_url)['PGDATABASE']}",
            str(dump),
        ],
        env=_libpq_env(database_url),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_restore could not restore {dump.name}: {result.stderr.strip()}")


@dataclass
class Inventory:
    """What a database holds: schemas, and for every table its exact row count."""

    rows: dict[str, int] = field(default_factory=dict)  # "schema.table" → rows

    @property
    def schemas(self) -> set[str]:
        return {name.split(".", 1)[0] for name in self.rows}


def inventory(database_url: str) -> Inventory:
    with psycopg.connect(database_url, autocommit=True) as connection:
        tables = connection.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2"
        ).fetchall()
        found = Inventory()
        for schema, table in tables:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            row = connection.execute(query).fetchone()
            found.rows[f"{schema}.{table}"] = int(row[0]) if row else 0
    return found


def inventory_differences(source: Inventory, restored: Inventory) -> list[str]:
    """Human-readable differences; empty when the restore holds exactly what the source held."""
    differences = [f"missing table {name}" for name in sorted(set(source.rows) - set(restored.rows))]
    differences += [f"unexpected table {name}" for name in sorted(set(restored.rows) - set(source.rows))]
    differences += [
        f"{name}: {source.rows[name]} rows in the source, {restored.rows[name]} restored"
        for name in sorted(set(source.rows) & set(restored.rows))
        if source.rows[name] != restored.rows[name]
    ]
    return differences


@dataclass(frozen=True)
class DrillReport:
    dump: Path
    dump_bytes: int
    schemas: int
    tables: int
    rows: int
    differences: list[str]
    restored_database: str


def restore_drill(*, database_url: str, workdir: Path, keep_database: bool = False) -> DrillReport:
    """Back up, restore into a scratch database next to the source, and compare both table by table.

    Run it while the platform is quiet (writes during the drill show up as differences).
    """
    source_name = _libpq_env(database_url)["PGDATABASE"]
    scratch = f"{source_name}_restore_drill"
    maintenance = _with_database(database_url, "postgres")
    dump = backup_create(database_url=database_url, output=workdir)
    source = inventory(database_url)
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    scratch_url = _with_database(database_url, scratch)
    try:
        backup_restore(dump=dump, database_url=scratch_url)
        restored = inventory(scratch_url)
    finally:
        if not keep_database:
            with psycopg.connect(maintenance, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
    return DrillReport(
        dump=dump,
        dump_bytes=dump.stat().st_size,
        schemas=len(source.schemas),
        tables=len(source.rows),
        rows=sum(source.rows.values()),
        differences=inventory_differences(source, restored),
        restored_database=scratch if keep_database else "",
    )
