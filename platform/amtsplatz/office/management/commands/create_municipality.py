"""python manage.py create_municipality --name "Stadt Gera" --slug gera --domain gera.localhost ..."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from amtsplatz.office.models import OnboardingJob
from amtsplatz.office.onboarding import OnboardingInput, onboarding_request, onboarding_run
from tenants.models import FederalState


class Command(BaseCommand):
    help = "Create a municipality by cloning the template schema and invite its first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help='Display name, e.g. "Stadt Gera".')
        parser.add_argument("--slug", required=True, help="Short name; becomes the schema name.")
        parser.add_argument(
            "--domain", required=True, action="append", help="Host name; repeat for more (first: primary)."
        )
        parser.add_argument("--ags", required=True, help="Amtlicher Gemeindeschlüssel (8 digits).")
        parser.add_argument("--state", help="Federal state code 01–16; taken from the AGS when omitted.")
        parser.add_argument("--admin-email", required=True, help="E-mail of the first administrator.")
        parser.add_argument("--theme", default="", help="Theme package, e.g. rathaus or klar.")
        parser.add_argument("--plan", default="", help="Key of the billing plan, e.g. klein-monat.")
        parser.add_argument("--inhabitants", type=int, help="Number of inhabitants (decides the plan tier).")
        parser.add_argument("--contact-name", default="", help="Name of the contact office.")
        parser.add_argument("--contact-email", default="", help="E-mail of the contact office.")
        parser.add_argument("--contact-phone", default="", help="Phone of the contact office.")
        parser.add_argument("--queue", action="store_true", help="Leave the work to a Celery worker; print the job.")

    def handle(self, *args: Any, **options: Any) -> None:
        state = options["state"] or (options["ags"] or "")[:2]
        if state not in FederalState.values:
            raise CommandError(_("Unknown federal state code '%(code)s'; use 01 to 16.") % {"code": state})
        contact = {key: options[key] for key in ("contact_name", "contact_email", "contact_phone") if options[key]}
        data = OnboardingInput(
            name=options["name"],
            slug=options["slug"],
            ags=options["ags"],
            state=state,
            domains=options["domain"],
            admin_email=options["admin_email"],
            theme=options["theme"],
            plan=options["plan"],
            inhabitants=options["inhabitants"],
            contact=contact,
        )
        started = time.perf_counter()
        try:
            job = onboarding_request(data=data, requested_by=None, via="cli", queue=options["queue"])
        except ValidationError as exc:
            lines = [f"  {field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()]
            raise CommandError(_("Nothing was created:") + "\n" + "\n".join(lines)) from exc
        if options["queue"]:
            self.stdout.write(f"Queued onboarding job {job.pk}.")
            return
        result = onboarding_run(job.pk)
        if result is None:
            job = OnboardingJob.objects.get(pk=job.pk)
            raise CommandError(_("Nothing was created:") + "\n  " + job.error)
        elapsed = time.perf_counter() - started
        municipality = result.municipality
        self.stdout.write(
            self.style.SUCCESS(f"Created {municipality.name} (schema {municipality.schema_name}) in {elapsed:.2f} s.")
        )
        self.stdout.write(f"Administrator: {result.admin_username} (invitation e-mailed)")
        self.stdout.write(f"Set a password within 72 hours: {result.set_password_url}")
