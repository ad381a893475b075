"""A new municipality starts complete: legal pages from the onboarding, the office's bundle, no placeholder anywhere.

And no portal goes live with an incomplete go-live checklist; Gera's legal facts and checklist stay Gera's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Site

from amtsplatz.office.models import OnboardingJob, ServiceBundle
from demo.seed import seed_catalogue
from services_catalog.local.models import LocalService
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tenants.services import GoLiveRefused, municipality_resume
from tests.conftest import legal_facts
from themes.services import legal_details_set

pytestmark = pytest.mark.django_db

PLACEHOLDER = re.compile(r"pflegt die Redaktion|Platzhalter|Lorem|TODO|\bfolgt\b|noch keine Leistungen", re.I)
JENA = {
    "name": "Stadt Jena",
    "slug": "jena",
    "ags": "16053000",
    "state": "16",
    "kind": "kreisfrei",
    "domains": "jena.localhost",
    "theme": "rathaus",
    "admin_email": "it@jena.example",
    "adopt_bundle": "on",
    **legal_facts("Stadt Jena", "Jena", "07743", "jena"),
    "representative_role": "Oberbürgermeister",
    "representative_name": "Thomas Beispielmann",
    "dpo_name": "Dr. Datenschutz Jena",
}
BUNDLE = ("hundesteuer-anmeldung", "wohnsitz-anmeldung", "meldebescheinigung", "fundsache")


@pytest.fixture(scope="module")
def catalogue(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The seed catalogue and a Thuringian bundle for independent cities, rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_catalogue()
        bundle = ServiceBundle.objects.create(name="Kreisfreie Städte Thüringen", state="16", kind="kreisfrei")
        bundle.services.set(ServiceDefinition.objects.filter(key__in=BUNDLE))
        ServiceBundle.objects.create(name="Kreisfreie Städte", state="", kind="kreisfrei")  # the state's one wins
        yield
        transaction.set_rollback(True)


def _onboard(admin_client: Client, capture: Callable[..., Any], data: dict[str, str]) -> Municipality:
    with capture(execute=True):
        response = admin_client.post("/office/onboarding/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = OnboardingJob.objects.get()
    assert job.status == "done", job.error
    return Municipality.objects.get(slug=data["slug"])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "action") and value and tag in ("a", "form"):
                self.links.append(value)


def _crawl(client: Client, host: str, limit: int = 400) -> dict[str, str]:
    """Every page reachable from the home pages and the sitemap, as path → text (HTML only)."""
    sitemap = client.get("/sitemap.xml").content.decode()
    queue = ["/", "/en/", *(urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap))]
    seen: dict[str, str] = {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = html
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            link = urldefrag(link)[0]
            parts = urlsplit(link)
            if parts.scheme not in ("", "http") or (parts.netloc and parts.netloc.split(":")[0] != host):
                continue
            target = parts.path or path
            if target.startswith(("/cms/", "/static/", "/media/", "/documents/")) or target in seen:
                continue
            queue.append(target + (f"?{parts.query}" if parts.query and "seite" in parts.query else ""))
    return seen


def test_an_onboarded_municipality_has_its_legal_pages_its_bundle_and_no_placeholder_anywhere(
    catalogue: None, admin_client: Client, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    jena = _onboard(admin_client, django_capture_on_commit_callbacks, JENA)
    assert (jena.status, jena.kind) == ("active", "kreisfrei")
    with schema_context("jena"):
        assert set(LocalService.objects.filter(enabled=True).values_list("definition__key", flat=True)) == set(BUNDLE)

    portal = Client(HTTP_HOST="jena.localhost")
    impressum = portal.get("/impressum/").content.decode()
    for fact in (
        "Stadt Jena",
        "Markt 1",
        "07743 Jena",
        "Oberbürgermeister Thomas Beispielmann",
        "Landesverwaltungsamt",
    ):
        assert fact in impressum
    privacy = portal.get("/datenschutz/").content.decode()
    for fact in ("Dr. Datenschutz Jena", "datenschutz@jena.example", "Landesbeauftragte für den Datenschutz"):
        assert fact in privacy
    assert "Art. 6 Abs. 1 lit. e DSGVO" in privacy or "Art. 6(1)(e)" in privacy
    assert "Onlinezugangsgesetz" in privacy  # online applications are switched on by the bundle
    statement = portal.get("/barrierefreiheit/").content.decode()
    assert "Schlichtungsstelle des Landes" in statement and "30. November 2026" in statement
    contact = portal.get("/kontakt/").content.decode()
    assert "Markt 1" in contact and "stadt@jena.example" in contact
    services = portal.get("/leistungen/").content.decode()
    assert "Hundesteuer" in services

    pages = _crawl(portal, "jena.localhost")
    assert len([html for html in pages.values() if html]) >= 15, sorted(pages)
    found = {path: match.group(0) for path, html in pages.items() if (match := PLACEHOLDER.search(html))}
    assert not found, found


def test_without_its_legal_facts_a_municipality_is_not_live_and_cannot_be_switched_live(
    catalogue: None, admin_client: Client, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command

    call_command(
        "create_municipality",
        "--name", "Stadt Jena", "--slug", "jena", "--domain", "jena.localhost", "--ags", "16053000",
        "--admin-email", "it@jena.example",
    )  # fmt: skip
    jena = Municipality.objects.get(slug="jena")
    assert (jena.status, jena.suspended_for) == ("suspended", "setup")
    assert Client(HTTP_HOST="jena.localhost").get("/").status_code == 503  # citizens see the maintenance page

    detail = admin_client.get("/office/municipalities/jena/").content.decode()
    assert "Impressum: " in detail and "Datenschutzbeauftragte" in detail
    response = admin_client.post("/office/municipalities/jena/resume/", follow=True)
    page = response.content.decode()
    assert "kann noch nicht live gehen" in page and "Impressum" in page
    jena.refresh_from_db()
    assert jena.status == "suspended"
    with pytest.raises(GoLiveRefused) as refused:
        municipality_resume(municipality=jena)
    assert any("Durchsetzungsstelle" in item for item in refused.value.missing)

    # The municipality's own editors complete the facts in /cms/ while it is not live; then it may go live.
    with schema_context("jena"):
        admin = User.objects.get(username="it@jena.example")
        facts = legal_facts("Stadt Jena", "Jena", "07743", "jena")
        legal_details_set(site=Site.objects.get(is_default_site=True), **facts)
        from cms.models import ContactPage

        contact = ContactPage.objects.get()
        contact.address, contact.email = "Markt 1\n07743 Jena", "stadt@jena.example"
        contact.save_revision().publish()
        editor = Client(HTTP_HOST="jena.localhost")
        editor.force_login(admin)
    checklist = editor.get("/cms/go-live/")
    assert checklist.status_code == 200
    assert "mindestens eine Leistung" in checklist.content.decode()  # no bundle was adopted: still missing
    assert editor.post("/cms/leistungen-auswahl/", {"service": list(BUNDLE)}).status_code == 302
    response = admin_client.post("/office/municipalities/jena/resume/")
    jena.refresh_from_db()
    assert jena.status == "active", admin_client.get("/office/municipalities/jena/").content.decode()[:3000]
    assert Client(HTTP_HOST="jena.localhost").get("/").status_code == 200


def test_a_paid_invoice_does_not_switch_an_incomplete_portal_live(gera: Municipality) -> None:
    from tenants.models import SuspensionReason
    from tenants.services import municipality_suspend

    municipality_suspend(municipality=gera, reason=SuspensionReason.BILLING)
    with schema_context("gera"):
        legal_details_set(site=Site.objects.get(is_default_site=True), dpo_name="")
    assert municipality_resume(municipality=gera, reason=SuspensionReason.BILLING) is False
    gera.refresh_from_db()
    assert (gera.status, gera.suspended_for) == ("suspended", "setup")


def test_gera_legal_facts_and_checklist_are_never_wurzens(
    gera: Municipality, wurzen: Municipality, gera_client: Client, wurzen_client: Client
) -> None:
    with schema_context("gera"):
        legal_details_set(site=Site.objects.get(is_default_site=True), dpo_name="Gera-DSB Erika Geheim")
        gera_client.force_login(User.objects.get(username="it@gera.example"))
    with schema_context("wurzen"):
        wurzen_client.force_login(User.objects.get(username="it@wurzen.example"))
    assert "Gera-DSB Erika Geheim" in gera_client.get("/datenschutz/").content.decode()
    for path in ("/datenschutz/", "/impressum/", "/barrierefreiheit/", "/kontakt/"):
        html = wurzen_client.get(path).content.decode()
        assert "Gera" not in html, path
    own = wurzen_client.get("/cms/go-live/")
    assert own.status_code == 200 and "Gera" not in own.content.decode()
    # Wurzen's session is worthless on Gera's host: no checklist of Gera.
    cookie = wurzen_client.cookies["sessionid"].value
    stranger = Client(HTTP_HOST="gera.localhost")
    stranger.cookies["sessionid"] = cookie
    response = stranger.get("/cms/go-live/")
    assert response.status_code in (302, 403) and "Erika Geheim" not in response.content.decode()
    assert gera_client.get("/cms/go-live/").status_code == 200


def test_the_office_list_shows_how_citizens_pay(gera: Municipality, wurzen: Municipality, admin_client: Client) -> None:
    Municipality.objects.filter(slug="gera").update(payment_provider="test")
    html = admin_client.get("/office/").content.decode()
    gera_row = html[html.index("Stadt Gera") : html.index("</tr>", html.index("Stadt Gera"))]
    wurzen_row = html[html.index("Stadt Wurzen") : html.index("</tr>", html.index("Stadt Wurzen"))]
    assert "online" in gera_row and "Testzahlung" in gera_row
    assert "nur vor Ort" in wurzen_row


def test_the_dashboard_shows_figures_without_waiting_for_the_night(gera: Municipality, admin_client: Client) -> None:
    html = admin_client.get("/office/dashboard/").content.decode()
    assert "Es wurden noch keine Zahlen berechnet" not in html
    assert "Kommunen nach Status" in html and "Stand der Zahlen" in html


def test_cms_adopts_and_drops_services_in_bulk_and_the_version_picker_names_them(
    catalogue: None, gera: Municipality, gera_client: Client
) -> None:
    with schema_context("gera"):
        gera_client.force_login(User.objects.get(username="it@gera.example"))
    page = gera_client.get("/cms/leistungen-auswahl/").content.decode()
    assert "Hundesteuer" in page and 'type="checkbox"' in page
    assert gera_client.post("/cms/leistungen-auswahl/", {"service": list(BUNDLE)}).status_code == 302
    with schema_context("gera"):
        offered = set(LocalService.objects.filter(enabled=True).values_list("definition__key", flat=True))
    assert offered == set(BUNDLE)
    assert gera_client.post("/cms/leistungen-auswahl/", {"service": list(BUNDLE[:2])}).status_code == 302
    with schema_context("gera"):
        offered = set(LocalService.objects.filter(enabled=True).values_list("definition__key", flat=True))
        dropped = LocalService.objects.get(definition__key=BUNDLE[3])
        from services_catalog.local.forms import version_label

        latest = dropped.definition.latest_version
        assert latest is not None
        label = version_label(latest)
    assert offered == set(BUNDLE[:2]) and not dropped.enabled
    assert label.startswith(dropped.definition.name_de) and re.search(r"Fassung \d+ vom \d+\. \w+ \d{4}$", label)
