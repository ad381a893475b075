"""python manage.py restore_drill [--workdir DIR] — back up, restore into a scratch database, compare."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsplatz.infra.backups import restore_drill
from amtsplatz.infra.database_url import configured_database_url


class Command(BaseCommand):
    help = "Restore drill: dump the database, restore it into <name>_restore_drill, compare every table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workdir", type=Path, help="Where the drill's dump goes (default: a temporary folder).")
        parser.add_argument("--keep-database", action="store_true", help="Leave the restored database for inspection.")

    def handle(self, *args: Any, **options: Any) -> None:
        with tempfile.TemporaryDirectory(prefix="amtsplatz-drill-") as temporary:
            report = restore_drill(
                database_url=configured_database_url(),
                workdir=options["workdir"] or Path(temporary),
                keep_database=options["keep_database"],
            )
        self.stdout.write(
            f"Dump {report.dump.name}: {report.dump_bytes} bytes; {report.schemas} schemas, "
            f"{report.tables} tables, {report.rows} rows."
        )
        if report.restored_database:
            self.stdout.write(f"Restored database kept: {report.restored_database}")
        if report.differences:
            raise CommandError("Restore differs from the source:\n  " + "\n  ".join(report.differences))
        self.stdout.write(self.style.SUCCESS("Restore drill passed: the restored database matches table by table."))
