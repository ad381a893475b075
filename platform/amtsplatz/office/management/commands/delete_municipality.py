"""python manage.py delete_municipality gera --confirm gera [--without-export]"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amtsplatz.office.export import office_delete
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Delete a municipality with its schema and all its data, only after an export. Irreversible."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Short name of the municipality.")
        parser.add_argument("--confirm", metavar="SLUG", help="Repeat the short name to confirm the deletion.")
        parser.add_argument(
            "--without-export",
            action="store_true",
            help="Delete although the municipality was never exported (its data is then gone for good).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None:
            raise CommandError(f"No municipality with the short name '{slug}'.")
        if options["confirm"] != slug:
            raise CommandError(
                f"This deletes {municipality.name} and all its data. Repeat with --confirm {slug} to go ahead."
            )
        try:
            office_delete(municipality=municipality, actor=None, confirm=slug, without_export=options["without_export"])
        except ValidationError as exc:
            raise CommandError(
                " ".join(exc.messages) + " (Or repeat with --without-export to delete without an export.)"
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Deleted {municipality.name} (schema {slug})."))
