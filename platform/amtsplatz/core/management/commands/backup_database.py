"""python manage.py backup_database --output DIR [--keep N] — whole-database dump with checksum."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsplatz.infra.backups import LockTableTooSmallError, backup_create
from amtsplatz.infra.database_url import configured_database_url


class Command(BaseCommand):
    help = "Dump the whole database (every schema) with pg_dump; keep the newest N dumps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="Folder for the dumps.")
        parser.add_argument("--keep", type=int, default=0, help="Keep only the newest N dumps (0: keep all).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dump = backup_create(database_url=configured_database_url(), output=options["output"], keep=options["keep"])
        except LockTableTooSmallError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {dump} ({dump.stat().st_size} bytes)"))
