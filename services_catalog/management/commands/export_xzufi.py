"""python manage.py export_xzufi [--municipality SLUG] [--output FILE] — published services as XZuFi XML."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from services_catalog.fim.xzufi import export_services
from services_catalog.selectors import catalogue_export
from tenants.models import Municipality


def _organisations(municipality: Municipality) -> list[dict[str, Any]]:
    """A municipality's offices (and its district's) with the services each provides."""
    from offices.selectors import office_cards  # layer 1 beside us; only this command composes the two

    with schema_context(municipality.schema_name):
        return [
            {"id": f"{card.source}:{card.slug}", "name": card.name, "street": card.street, "postcode": card.postcode,
             "city": card.city, "phone": card.phone, "email": card.email, "url": card.contact_url,
             "services": [key for key, _name in card.services]}
            for card in office_cards(language="de")
        ]  # fmt: skip


class Command(BaseCommand):
    help = "Export the published catalogue as an XZuFi 2.x transfer; with --municipality, with its offices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="Slug of a municipality whose offices and responsibilities to add.")
        parser.add_argument("--output", type=Path, help="Write to this file instead of standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations: list[dict[str, Any]] = []
        if options["municipality"]:
            municipality = Municipality.objects.filter(schema_name=options["municipality"]).first()
            if municipality is None:
                raise CommandError(_("No municipality “%(slug)s”.") % {"slug": options["municipality"]})
            organisations = _organisations(municipality)
        documents = catalogue_export()["services"]
        xml = export_services(documents, organisations=organisations)
        if options["output"]:
            options["output"].write_bytes(xml)
            self.stderr.write(
                _("Wrote %(path)s: %(services)s services, %(offices)s offices.")
                % {"path": options["output"], "services": len(documents), "offices": len(organisations)}
            )
        else:
            sys.stdout.buffer.write(xml)
