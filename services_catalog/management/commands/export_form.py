"""python manage.py export_form KEY [--version N] [--output FILE] — a version's form as XDatenfelder 3.0."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from services_catalog.fim.services import version_export
from services_catalog.models import ServiceVersion


class Command(BaseCommand):
    help = "Export a published version's form as an XDatenfelder 3.0 Stammdatenschema message."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("service", help="Key of the service definition.")
        parser.add_argument("--version", type=int, help="Version number (default: the latest).")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = ServiceVersion.objects.filter(definition__key=options["service"]).select_related("definition")
        if options["version"]:
            versions = versions.filter(number=options["version"])
        version = versions.order_by("-number").first()
        if version is None:
            raise CommandError(_("No published version found; publish the service first."))
        if not version.form_schema:
            raise CommandError(_("Version %(number)s has no form to export.") % {"number": version.number})
        xml = version_export(version)
        if options["output"]:
            options["output"].write_bytes(xml)
            self.stderr.write(_("Wrote %(path)s.") % {"path": options["output"]})
        else:
            sys.stdout.buffer.write(xml)
