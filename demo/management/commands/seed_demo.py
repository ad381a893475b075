"""python manage.py seed_demo — catalogue, office user and three demo municipalities (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from amtsplatz.office.dashboard import dashboard_aggregate
from demo.seed import (
    DEMO_MUNICIPALITIES,
    OFFICE_USER,
    demo_bundles_ensure,
    demo_municipality_ensure,
    demo_plans_ensure,
    office_user_ensure,
    seed_catalogue,
)
from tenants.context import portal_base_url


class Command(BaseCommand):
    help = "Seed the demo: shared catalogue, office editor, Gera, Wurzen and Augustusburg with their services."

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_catalogue()
        self.stdout.write(
            f"Catalogue: {len(report.created)} new, {len(report.published)} updated, {len(report.unchanged)} unchanged"
        )
        office_user = office_user_ensure()
        demo_plans_ensure()
        demo_bundles_ensure()
        total = len(DEMO_MUNICIPALITIES)
        for index, demo in enumerate(DEMO_MUNICIPALITIES, start=1):
            created = demo_municipality_ensure(demo)
            state = "created" if created else "exists, brought up to date"
            self.stdout.write(
                f"[{index}/{total}] {demo.name}: {state}, offers the whole catalogue "
                f"({len(demo.services)} services with local details)"
            )
        figures = dashboard_aggregate(actor=office_user)  # the office's dashboard shows the seeded data at once
        self.stdout.write(f"Dashboard: {figures} figures computed")

        platform_url = portal_base_url(settings.PLATFORM_HOSTS[0])
        self.stdout.write("")
        self.stdout.write(
            "TEST identity providers (not BundID, no real accounts): SAML IdP http://127.0.0.1:8090/metadata, "
            'OIDC http://127.0.0.1:8091 — "Mit BundID anmelden" on every portal\'s log-in page.'
        )
        self.stdout.write(self.style.SUCCESS("Amtsplatz demo"))
        self.stdout.write(f"  Platform (cooperation office): {platform_url}/")
        office_login = f"login {OFFICE_USER[0]} / {OFFICE_USER[1]}"
        self.stdout.write(f"      office:  {platform_url}/office/ (catalogue, billing)  {office_login}")
        for demo in DEMO_MUNICIPALITIES:
            url = portal_base_url(demo.domain)
            self.stdout.write(f"  {demo.name}: {url}/")
            self.stdout.write(f"      editors: {url}/cms/  login {demo.admin_email} / {demo.admin_password}")
            self.stdout.write(
                f"      inbox:   {url}/cms/antraege/  login {demo.caseworker_email} / {demo.caseworker_password}"
            )
            self.stdout.write(
                f"      moderation: {url}/cms/beteiligung/moderation/  login {demo.moderator_email} / "
                f"{demo.moderator_password}"
            )
            self.stdout.write(
                f"      participation: {url}/beteiligung/  citizen {demo.citizen_email} / {demo.citizen_password}"
            )
