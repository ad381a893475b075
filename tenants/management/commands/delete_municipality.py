"""python manage.py delete_municipality gera --confirm gera"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import Municipality
from tenants.services import municipality_delete


class Command(BaseCommand):
    help = "Delete a municipality with its schema and all its data. Irreversible."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Short name of the municipality.")
        parser.add_argument("--confirm", metavar="SLUG", help="Repeat the short name to confirm the deletion.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"No municipality with the short name '{slug}'.")
        if options["confirm"] != slug:
            raise CommandError(
                f"This deletes {municipality.name} and all its data. Repeat with --confirm {slug} to go ahead."
            )
        municipality_delete(municipality)
        self.stdout.write(self.style.SUCCESS(f"Deleted {municipality.name} (schema {slug})."))
