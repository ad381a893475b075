"""python manage.py import_xzufi FILE.xml [--dry-run] — services from an XZuFi transfer, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services_catalog.exchange import FORMAT, FORMAT_VERSION
from services_catalog.fim.xmlsafe import XmlInputError
from services_catalog.fim.xzufi import import_services
from services_catalog.services import catalogue_import, catalogue_validate


class Command(BaseCommand):
    help = "Import service definitions from an XZuFi 2.x transfer (as written by export_xzufi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="XZuFi transfer message (XML).")
        parser.add_argument("--dry-run", action="store_true", help="Only read and validate; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            result = import_services(path.read_bytes())
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
        except XmlInputError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        services = [{k: v for k, v in service.items() if k != "offered_by"} for service in result.services]
        payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "services": services}
        problems = catalogue_validate(payload)
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(_("%(count)s problem(s) found; nothing was imported.") % {"count": len(problems)})
        if result.organisations:
            # Offices are a municipality's own data (offices app); a transfer names them, it does not create them.
            self.stdout.write(
                _("%(count)s offices (organisationseinheit) are listed and not imported: %(names)s")
                % {"count": len(result.organisations), "names": ", ".join(o["name"] for o in result.organisations)}
            )
        if options["dry_run"]:
            self.stdout.write(_("%(count)s services are valid.") % {"count": len(services)})
            return
        try:
            report = catalogue_import(payload)
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
