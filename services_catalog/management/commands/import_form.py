"""python manage.py import_form FILE.xml --service KEY — an XDatenfelder 2.0/3.0 form becomes a draft's form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services_catalog.fim.services import form_import
from services_catalog.fim.xmlsafe import XmlInputError
from services_catalog.models import ServiceDefinition


class Command(BaseCommand):
    help = "Import an XDatenfelder 2.0/3.0 Stammdatenschema or Datenfeldgruppe as a service's draft form."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="XDatenfelder message (XML).")
        parser.add_argument("--service", required=True, help="Key of the service definition whose draft gets the form.")
        parser.add_argument("--dry-run", action="store_true", help="Only read and report; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            definition = ServiceDefinition.objects.get(key=options["service"])
        except ServiceDefinition.DoesNotExist as exc:
            raise CommandError(
                _("No service definition “%(key)s”. Create it in the office first (or import_catalogue).")
                % {"key": options["service"]}
            ) from exc
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
        self.stdout.write(_("Reading %(path)s …") % {"path": path})
        try:
            result = form_import(definition=definition, data=data, dry_run=options["dry_run"])
        except XmlInputError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(
                "\n".join(
                    [*exc.messages, _("Nothing was imported. Adjust the fee and decision rules to the new fields.")]
                )
            ) from exc
        self.stdout.write(
            _("%(standard)s %(id)s v%(version)s: %(count)s fields.")
            % {"standard": result.standard, "id": result.fim_id or "-", "version": result.fim_version,
               "count": sum(1 for _line in _field_ids(result.schema))}
        )  # fmt: skip
        for where, message in result.report:
            self.stdout.write(f"  {where}: {message}")
        if result.report:
            self.stdout.write(
                _("%(count)s construct(s) above could not be mapped exactly; check them before publishing.")
                % {"count": len(result.report)}
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(_("The draft of %(key)s has the new form.") % {"key": definition.key}))


def _field_ids(schema: dict[str, Any]) -> list[str]:
    ids: list[str] = []

    def walk(group: dict[str, Any]) -> None:
        ids.extend(spec["id"] for spec in group.get("fields", []))
        for sub in group.get("groups", []):
            walk(sub)

    for group in schema["groups"]:
        walk(group)
    return ids
