"""python manage.py import_xzufi FILE.xml [--municipality SLUG] [--dry-run] — services (and a municipality's
offices) from an XZuFi transfer, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from services_catalog.exchange import FORMAT, FORMAT_VERSION
from services_catalog.fim.xmlsafe import XmlInputError
from services_catalog.fim.xzufi import import_services
from services_catalog.services import catalogue_import, catalogue_validate
from tenants.models import Municipality

DISTRICT_PREFIX = "district:"  # offices kept by the cooperation office for a Landkreis: never a municipality's


def _office_slug(organisation_id: str) -> str:
    """``municipality:buergerbuero`` (as export_xzufi writes it) or another producer's id → an office slug."""
    return slugify(organisation_id.removeprefix("municipality:"))[:80]


def _offices_upsert(
    municipality: Municipality, organisations: list[dict[str, Any]], services: list[dict[str, Any]]
) -> list[str]:
    """Create or update the transfer's offices in ``municipality``'s schema; lines for the report."""
    from offices.services import upsert_office  # layer 1 beside us; only the import command composes the two

    lines = []
    with schema_context(municipality.schema_name):
        for organisation in organisations:
            if organisation["id"].startswith(DISTRICT_PREFIX):
                lines.append(
                    _("%(name)s: a district office, kept by the cooperation office; not imported.")
                    % {"name": organisation["name"]}
                )
                continue
            keys = [service["key"] for service in services if organisation["id"] in service.get("offered_by", [])]
            try:
                done = upsert_office(
                    slug=_office_slug(organisation["id"]),
                    name=organisation["name"],
                    street=organisation.get("street", ""),
                    postcode=organisation.get("postcode", ""),
                    city=organisation.get("city", ""),
                    phone=organisation.get("phone", ""),
                    email=organisation.get("email", ""),
                    contact_url=organisation.get("url", ""),
                    service_keys=keys,
                )
            except ValidationError as exc:
                raise CommandError(
                    _("Office %(name)s: %(problems)s")
                    % {"name": organisation["name"], "problems": " ".join(exc.messages)}
                ) from exc
            lines.append(
                (_("%(name)s: created.") if done.created else _("%(name)s: updated.")) % {"name": done.office.name}
            )
            if done.missing_services:
                lines.append(
                    _("%(name)s: services not adopted here, not linked: %(keys)s")
                    % {"name": done.office.name, "keys": ", ".join(done.missing_services)}
                )
    return lines  # fmt: skip


class Command(BaseCommand):
    help = "Import service definitions from an XZuFi 2.x transfer (as written by export_xzufi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="XZuFi transfer message (XML).")
        parser.add_argument(
            "--municipality", help="Slug of a municipality whose offices to create or update from the transfer."
        )
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
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(schema_name=options["municipality"]).first()
            if municipality is None:
                raise CommandError(_("No municipality “%(slug)s”.") % {"slug": options["municipality"]})
        elif result.organisations:
            # Offices are a municipality's own data: without --municipality a transfer names them only.
            self.stdout.write(
                _("%(count)s offices (organisationseinheit) are listed and not imported: %(names)s")
                % {"count": len(result.organisations), "names": ", ".join(o["name"] for o in result.organisations)}
            )
        if options["dry_run"]:
            self.stdout.write(_("%(count)s services are valid.") % {"count": len(services)})
            return
        try:
            with transaction.atomic():  # services and offices together, or nothing
                report = catalogue_import(payload)
                lines = _offices_upsert(municipality, result.organisations, result.services) if municipality else []
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for line in lines:
            self.stdout.write(line)
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
