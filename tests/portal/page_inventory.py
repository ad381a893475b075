"""Prints, as JSON, every live page of the demo municipalities: ``{host: [[page_type, path], …]}``.

Run in a child process against the demo database (``python -m tests.portal.page_inventory``).
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit


def inventory() -> dict[str, list[list[str]]]:
    from django_tenants.utils import schema_context
    from wagtail.models import Page

    from demo.seed import DEMO_MUNICIPALITIES
    from tenants.models import Municipality

    found: dict[str, list[list[str]]] = {}
    for demo in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.get(slug=demo.slug)
        with schema_context(municipality.schema_name):
            pages = Page.objects.live().filter(depth__gt=1).specific().order_by("path")
            found[demo.domain] = [[page._meta.label_lower, urlsplit(page.full_url).path] for page in pages]
            service_key = next(iter(demo.services))
            found[demo.domain].append(["cms.servicedetail", f"/leistungen/{service_key}/"])
            found[demo.domain].append(["applications.start", f"/antraege/{service_key}/"])
            found[demo.domain] += participation_pages()
            found[demo.domain] += [["answers.ask", "/fragen/"], ["answers.ask", "/fragen/?q=Hund+anmelden"],
                                   ["answers.ask", "/fragen/?q=Wie+wird+das+Wetter"]]  # fmt: skip
            found[demo.domain] += offices_pages(service_key)
            found[demo.domain] += opendata_pages()
            found[demo.domain] += appointments_pages()
            found[demo.domain] += kiosk_pages(service_key)
            found[demo.domain] += staff_screens()
            found[demo.domain] += applications_pages()
            # Mein Konto needs the demo citizen's login (the participation-citizen prefix logs in first).
            found[demo.domain] += [["participation-citizen.my-account", "/konto/"],
                                   ["citizens.password-reset", "/konto/passwort-vergessen/"]]  # fmt: skip
            found[demo.domain] += citizens_pages()
    return found


def participation_pages() -> list[list[str]]:
    """Participation pages of the current schema; ``participation-citizen.*`` need the demo citizen's login."""
    from participation.models import Idea, Project, Report, Space

    report = Report.objects.public().order_by("pk").first()
    idea = Idea.objects.public().select_related("space").order_by("pk").first()
    project = Project.objects.public().order_by("pk").first()
    consultation = Space.objects.filter(kind=Space.Kind.CONSULTATION).order_by("pk").first()
    assert report and idea and project and consultation, "the demo has participation content"
    ideas = f"/beteiligung/ideen/{idea.space.slug}/"
    public = ["/beteiligung/", "/beteiligung/maengel/", f"/beteiligung/maengel/{report.pk}/", ideas,
              f"{ideas}{idea.pk}/", f"/beteiligung/verfahren/{consultation.slug}/", "/beteiligung/projekte/",
              f"/beteiligung/projekte/{project.pk}/", "/beteiligung/konto/registrieren/",
              f"/beteiligung/melden/idea/{idea.pk}/", "/beteiligung/maengel/bestaetigen/beispiel-link/"]  # fmt: skip
    # A guest reports with a confirmed e-mail address (the default): the form is public too.
    public.append("/beteiligung/maengel/melden/")
    citizen = ["/beteiligung/maengel/melden/", f"{ideas}neu/", f"/beteiligung/verfahren/{consultation.slug}/",
               "/beteiligung/konto/", "/beteiligung/meine-beitraege/", f"/beteiligung/projekte/{project.pk}/",
               f"/beteiligung/projekte/{project.pk}/planung/", f"/beteiligung/projekte/neu/{idea.pk}/"]  # fmt: skip
    return [["participation.page", path] for path in public] + [["participation-citizen.page", p] for p in citizen]


def citizens_pages() -> list[list[str]]:
    """ "Log in more securely" (a substantial service, with the demo's test BundID and OIDC buttons), and the
    demo citizen's linked logins."""
    stronger = "/konto/sicherer-anmelden/?level=substantial&next=/antraege/meldebescheinigung/"
    return [["citizens.stronger-login", stronger], ["participation-citizen.citizens-identities", "/konto/anmeldungen/"]]


def applications_pages() -> list[list[str]]:
    """A filed application: the citizen's status page; the caseworker's inbox and detail (``applications-staff.*``
    need the demo caseworker's login)."""
    from applications.models import Application
    from tests.applications.conftest import file_dog

    application = Application.objects.filter(applicant_email="axe@example.org").first() or file_dog("axe@example.org")
    return [
        ["applications.status", f"/antraege/status/{application.access_token}/"],
        ["applications-staff.page", "/cms/antraege/"],
        ["applications-staff.page", f"/cms/antraege/{application.public_id}/"],
    ]


def appointments_pages() -> list[list[str]]:
    """Booking steps, a reservation waiting for its e-mail link, an appointment behind its link (confirmed and
    cancelled), the waiting-room display; the mobile citizen service: its visits, one visit's booking form, a
    place behind its links, the home-visit request. Made here when the demo has none (a second run finds them)."""
    from appointments import selectors, services
    from appointments.models import Booking, Calendar, Visit, VisitBooking

    calendar = Calendar.objects.select_related("office").order_by("pk").first()
    visit = Visit.objects.order_by("pk").first()
    booking = Booking.objects.filter(calendar=calendar, status=Booking.Status.CONFIRMED).order_by("pk").first()
    assert calendar and booking and visit, "the demo has appointments and mobile-service visits"
    keys = booking.service_keys[:1]
    made = {
        b.email: b for b in Booking.objects.filter(email__in=["axe-reserved@example.org", "axe-cancelled@example.org"])
    }
    if not made:
        free = [start for day in selectors.availability(calendar, minutes=15, days=14) for start in day.starts]
        for email, start in (("axe-reserved@example.org", free[-1]), ("axe-cancelled@example.org", free[-2])):
            made[email] = services.booking_reserve(calendar=calendar, start=start, service_keys=keys, email=email)
        services.booking_cancel(token=made["axe-cancelled@example.org"].token)
    # A place at a visit offering services (a demo municipality whose office offers none of the identity
    # services has visits without any).
    place = VisitBooking.objects.filter(email="axe-visit@example.org").first()
    offering = Visit.objects.filter(services__isnull=False).order_by("pk").first()
    if place is None and offering is not None:
        offered = offering.services.select_related("definition").order_by("pk")[0]
        place = services.visit_reserve(
            visit=offering, service_keys=[offered.definition.key], email="axe-visit@example.org", name="Axe Besuch"
        )
    places = [f"/termine/mobil/bestaetigen/{place.token}/", f"/termine/mobil/platz/{place.token}/"] if place else []
    query = f"leistung={keys[0]}"
    return [["appointments.page", path] for path in (
        "/termine/", f"/termine/dienststelle/?{query}", f"/termine/buchen/{calendar.office.slug}/?{query}",
        f"/termine/reserviert/{made['axe-reserved@example.org'].public_id}/",
        f"/termine/bestaetigen/{booking.token}/", f"/termine/termin/{booking.token}/",
        f"/termine/termin/{made['axe-cancelled@example.org'].token}/", f"/termine/anzeige/{calendar.office.slug}/",
    )] + [["appointments.mobile", path] for path in (
        "/termine/mobil/", f"/termine/mobil/{visit.pk}/", *places, "/termine/hausbesuch/", "/en/termine/hausbesuch/",
    )]  # fmt: skip


def kiosk_pages(service_key: str) -> list[list[str]]:
    """The demo terminal's activation link; ``appointments-kiosk.*`` pages are opened on the activated terminal:
    its own home and ordinary portal pages, which carry the kiosk bar there."""
    from appointments.kiosk import device_token
    from appointments.models import KioskDevice

    device = KioskDevice.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    assert device, "the demo has a kiosk terminal"
    return [["appointments-kiosk.activate", f"/termine/kiosk/einrichten/{device_token(device)}/"]] + [
        ["appointments-kiosk.page", path]
        for path in ("/termine/kiosk/", "/", "/leistungen/", f"/leistungen/{service_key}/", "/termine/",
                     "/termine/mobil/", "/en/termine/")
    ]  # fmt: skip


def staff_screens() -> list[list[str]]:
    """Screens of the municipality's staff (``municipality-admin.*`` need the demo administrator's login): the
    counter (day, statistics, terminals), appointment planning in /cms/ (calendars, counters, visits, their
    bookings, home-visit requests) and the letter settings (signatures, text templates, parking zones)."""
    from django.db.models import Model

    from applications.models import ParkingZone, ReasonTemplate, StaffProfile
    from appointments.models import Calendar, Counter, HomeVisitRequest, Visit, VisitBooking
    from offices.models import ContactRequest

    calendar = Calendar.objects.select_related("office").order_by("pk").first()
    assert calendar, "the demo has appointments"
    counter = f"/termine/schalter/{calendar.office.slug}/"
    paths = ["/termine/schalter/", counter, f"{counter}statistik/", f"{counter}terminals/"]
    snippets = "/cms/snippets/appointments/"
    planning: list[tuple[type[Model], str]] = [(Calendar, f"{snippets}calendar/"), (Counter, f"{snippets}counter/"),
        (Visit, f"{snippets}visit/"), (HomeVisitRequest, f"{snippets}homevisitrequest/"),
        (VisitBooking, f"{snippets}visitbooking/"), (StaffProfile, "/cms/signatures/"),
        (ReasonTemplate, "/cms/reason_templates/"), (ParkingZone, "/cms/parking_zones/")]  # fmt: skip
    for model, listing in planning:
        item = model._default_manager.order_by("pk").first()
        paths += [listing, f"{listing}edit/{item.pk}/"] if item else [listing]
    paths += [f"{snippets}counter/add/", f"{snippets}visit/add/", "/cms/signatures/new/", "/cms/reason_templates/new/",
              "/cms/parking_zones/new/"]  # fmt: skip
    contact = ContactRequest.objects.order_by("pk").first()
    assert contact, "the inventory's contact request (offices_pages) exists"
    requests = "/cms/snippets/offices/contactrequest/"
    paths += [requests, f"{requests}inspect/{contact.pk}/", f"{requests}edit/{contact.pk}/"]
    return [["municipality-admin.page", path] for path in paths]


def offices_pages(service_key: str) -> list[list[str]]:
    """The office directory, each office's page (the district's too), the finder with and without a result, the
    contact form (general, in English, of an office with a question from an answer card) and its confirmation."""
    from django.core import signing

    from offices.models import ContactRequest
    from offices.selectors import office_cards
    from offices.services import contact_request_create
    from offices.views import SENT_SALT

    pages = [["offices.directory", "/dienststellen/"], ["offices.finder", "/zustaendigkeit/"],
             ["offices.finder", f"/zustaendigkeit/?leistung={service_key}&plz=00000"],
             ["offices.finder", "/zustaendigkeit/?q=Hund"],
             ["offices.finder", "/en/zustaendigkeit/?q=xyzzy"]]  # fmt: skip
    cards = office_cards()
    own = next(card for card in cards if card.source == "municipality")
    sent = ContactRequest.objects.filter(email="axe@example.org").first() or contact_request_create(
        office=None, email="axe@example.org", subject="Barrierefreiheit", message="Eine Nachricht für die Prüfung."
    )
    confirmation = f"/kontaktformular/gesendet/?ref={signing.dumps(sent.reference, salt=SENT_SALT)}"
    pages += [["offices.contact", "/kontaktformular/"], ["offices.contact", "/en/kontaktformular/"],
              ["offices.contact", f"{own.url}kontakt/?leistung={service_key}&frage=Wo+bekomme+ich+das%3F"],
              ["offices.contact", confirmation]]  # fmt: skip
    return pages + [["offices.detail", card.url] for card in cards]


def opendata_pages() -> list[list[str]]:
    """The open data pages of the current schema: list, search, a file with chart and map, a live series, statistics."""
    from opendata.models import Dataset

    assert Dataset.objects.filter(is_published=True).count() >= 3, "the demo has open data"
    paths = ["/daten/", "/daten/?q=Haushalt", "/daten/strassenbaeume/", "/daten/haushalt-2026/",
             "/daten/parkhaus-belegung/", "/daten/statistik-maengelmeldungen-je-monat/"]  # fmt: skip
    return [["opendata.page", path] for path in paths]


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
    import django

    django.setup()
    print(json.dumps(inventory()))
