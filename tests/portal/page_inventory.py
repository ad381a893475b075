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
            # Mein Konto needs the demo citizen's login (the participation-citizen prefix logs in first).
            found[demo.domain] += [["participation-citizen.my-account", "/konto/"],
                                   ["citizens.password-reset", "/konto/passwort-vergessen/"]]  # fmt: skip
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
              f"/beteiligung/melden/idea/{idea.pk}/"]  # fmt: skip
    citizen = ["/beteiligung/maengel/melden/", f"{ideas}neu/", f"/beteiligung/verfahren/{consultation.slug}/",
               "/beteiligung/konto/", "/beteiligung/meine-beitraege/", f"/beteiligung/projekte/{project.pk}/",
               f"/beteiligung/projekte/{project.pk}/planung/", f"/beteiligung/projekte/neu/{idea.pk}/"]  # fmt: skip
    return [["participation.page", path] for path in public] + [["participation-citizen.page", p] for p in citizen]


def appointments_pages() -> list[list[str]]:
    """Booking steps, an appointment behind its e-mail link, the waiting-room display (kiosks need a device);
    the mobile citizen service: its visits, one visit's booking form, the home-visit request."""
    from appointments.models import Booking, Calendar, Visit

    calendar = Calendar.objects.select_related("office").order_by("pk").first()
    visit = Visit.objects.order_by("pk").first()
    booking = Booking.objects.filter(calendar=calendar, status=Booking.Status.CONFIRMED).order_by("pk").first()
    assert calendar and booking and visit, "the demo has appointments and mobile-service visits"
    query = f"leistung={booking.service_keys[0]}"
    return [["appointments.page", path] for path in (
        "/termine/", f"/termine/dienststelle/?{query}", f"/termine/buchen/{calendar.office.slug}/?{query}",
        f"/termine/bestaetigen/{booking.token}/", f"/termine/termin/{booking.token}/",
        f"/termine/anzeige/{calendar.office.slug}/",
    )] + [["appointments.mobile", path] for path in (
        "/termine/mobil/", f"/termine/mobil/{visit.pk}/", "/termine/hausbesuch/", "/en/termine/hausbesuch/",
    )]  # fmt: skip


def offices_pages(service_key: str) -> list[list[str]]:
    """The office directory, each office's page (the district's too), and the finder with and without a result."""
    from offices.selectors import office_cards

    pages = [["offices.directory", "/dienststellen/"], ["offices.finder", "/zustaendigkeit/"],
             ["offices.finder", f"/zustaendigkeit/?leistung={service_key}&plz=00000"],
             ["offices.finder", "/zustaendigkeit/?q=Hund"],
             ["offices.finder", "/en/zustaendigkeit/?q=xyzzy"]]  # fmt: skip
    return pages + [["offices.detail", card.url] for card in office_cards()]


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
