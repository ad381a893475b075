"""python manage.py import_catalogue FILE.json|FOLDER … — all or nothing, idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services_catalog.exchange import CatalogueFileError, catalogue_files_read
from services_catalog.services import catalogue_import, catalogue_validate


class Command(BaseCommand):
    help = "Import service definitions from a catalogue file (docs/catalogue-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            type=Path,
            nargs="+",
            help="JSON files in the Amtsplatz catalogue format, or folders of them; imported together.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only validate; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            payload = catalogue_files_read(options["files"])
        except CatalogueFileError as exc:
            raise CommandError(str(exc)) from exc
        problems = catalogue_validate(payload)
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported. Fix the entries above and run again.")
                % {"count": len(problems)}
            )
        if options["dry_run"]:
            self.stdout.write(_("%(count)s services are valid.") % {"count": len(payload["services"])})
            return

        def progress(done: int, total: int, key: str) -> None:
            if total <= 50 or done % 25 == 0 or done == total:
                self.stdout.write(f"[{done}/{total}] {key}")

        try:
            report = catalogue_import(payload, progress=progress)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)s new, %(published)s new versions, %(unchanged)s unchanged.")
                % {
                    "created": len(report.created),
                    "published": len(report.published),
                    "unchanged": len(report.unchanged),
                }
            )
        )
