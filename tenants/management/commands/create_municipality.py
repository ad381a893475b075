"""python manage.py create_municipality --name "Stadt Gera" --slug gera --domain gera.localhost ..."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenants.models import FederalState
from tenants.services import municipality_create


class Command(BaseCommand):
    help = "Create a municipality by cloning the template schema and invite its first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='Display name, e.g. "Stadt Gera".')
        parser.add_argument("--slug", required=True, help="Short name; becomes the schema name.")
        parser.add_argument("--domain", required=True, help="Primary host name, e.g. gera.localhost.")
        parser.add_argument("--ags", required=True, help="Amtlicher Gemeindeschlüssel (8 digits).")
        parser.add_argument("--state", help="Federal state code 01–16; taken from the AGS when omitted.")
        parser.add_argument("--admin-email", required=True, help="E-mail of the first administrator.")
        parser.add_argument("--primary-colour", help="Brand colour, e.g. #004b87.")
        parser.add_argument("--secondary-colour", help="Second brand colour, e.g. #eef3f8.")

    def handle(self, *args: Any, **options: Any) -> None:
        state = options["state"] or (options["ags"] or "")[:2]
        if state not in FederalState.values:
            raise CommandError(_("Unknown federal state code '%(code)s'; use 01 to 16.") % {"code": state})
        started = time.perf_counter()
        try:
            result = municipality_create(
                name=options["name"],
                slug=options["slug"],
                domain=options["domain"],
                ags=options["ags"],
                state=state,
                admin_email=options["admin_email"],
                primary_colour=options["primary_colour"],
                secondary_colour=options["secondary_colour"],
            )
        except ValidationError as exc:
            lines = [f"  {field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
            raise CommandError(_("Nothing was created:") + "\n" + "\n".join(lines)) from exc
        elapsed = time.perf_counter() - started
        municipality = result.municipality
        self.stdout.write(
            self.style.SUCCESS(f"Created {municipality.name} (schema {municipality.schema_name}) in {elapsed:.2f} s.")
        )
        self.stdout.write(f"Administrator: {result.admin_username}")
        self.stdout.write(f"Set a password within 72 hours: {result.set_password_url}")
