"""python manage.py migrate_all — public schema, template schema, then every municipality."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tenants.template_schema import template_schema_ensure


class Command(BaseCommand):
    help = "Migrate the public schema, keep the template schema current, migrate all municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-tenants", action="store_true", help="Leave municipality schemas.")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        self.stdout.write("1/3 public schema")
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write("2/3 template schema")
        template_schema_ensure(verbosity=max(verbosity - 1, 0))
        if options["skip_tenants"]:
            return
        self.stdout.write("3/3 municipality schemas")
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write(self.style.SUCCESS("All schemas are migrated."))
