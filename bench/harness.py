"""Shared set-up for benchmarks: a dedicated database on the configured server, Django ready."""

from __future__ import annotations

import os
import platform
import statistics
from urllib.parse import urlsplit, urlunsplit


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    from amtsplatz.embedded import ensure_postgres

    return ensure_postgres()


def use_bench_database(name: str) -> str:
    """Point DATABASE_URL at database ``name`` on the configured server, creating it if needed."""
    import psycopg

    parts = urlsplit(_server_url())
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
    os.environ.setdefault("AMTSPLATZ_REDIS_NAMESPACE", f"bench-{name}")
    return url


def django_ready(database: str) -> None:
    """Configure Django against a migrated bench database (public and template schema)."""
    use_bench_database(database)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_all", skip_tenants=True, verbosity=0)


def machine() -> str:
    """One line that says what the figures were measured on."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg = f"PostgreSQL {cursor.fetchone()[0]}"
    except Exception:  # Django not set up: say so rather than guess
        pg = "PostgreSQL version unknown"
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {pg}"


def median(values: list[float]) -> float:
    return statistics.median(values)
