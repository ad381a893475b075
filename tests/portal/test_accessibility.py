"""The accessibility gate: axe-core (WCAG 2.0/2.1 A and AA) on every page type of every demo portal, and keyboard use.

axe-core comes from the npm registry (``make install``); Debian's Chromium runs it headless via Playwright.
"""

from __future__ import annotations

import base64
from typing import Any

import psycopg
import pytest
from django.apps import apps
from wagtail.models import Page

from tests.conftest import PROJECT_ROOT
from tests.portal.conftest import DemoPortal

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
ENGLISH_PATHS = (
    "/en/", "/en/leistungen/", "/en/barrierefreiheit/", "/en/beteiligung/", "/en/dienststellen/",
    "/en/fragen/?q=I+lost+my+keys",
)  # fmt: skip
CITIZEN_ONLY = "participation-citizen."
STAFF_ONLY = "applications-staff."
KIOSK_ONLY = "appointments-kiosk."  # opened on an activated terminal
ADMIN_ONLY = "municipality-admin."  # the municipality's administrator logs in first
ERROR_PATHS = ("/gibt-es-nicht/", "/en/does-not-exist/")


def _axe(page: Any) -> dict[str, Any]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )


def _violations(page: Any, url: str, status: int = 200) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url} answered {response and response.status}"
    result = _axe(page)
    return [
        f"{url}: {violation['id']} ({violation['impact']}) {violation['help']} → "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


@pytest.mark.django_db
def test_demo_covers_every_portal_page_type(demo_portal: DemoPortal) -> None:
    portal_types = {
        model._meta.label_lower for model in apps.get_app_config("cms").get_models() if issubclass(model, Page)
    }
    for host, pages in demo_portal.pages.items():
        assert portal_types <= {page_type for page_type, _path in pages}, host


def test_every_page_type_of_every_demo_portal_passes_axe(demo_portal: DemoPortal, browser: Any) -> None:
    problems: list[str] = []
    for host, pages in demo_portal.pages.items():
        problems += _portal_violations(browser, demo_portal, host, pages)
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_the_gate_catches_a_violation(demo_portal: DemoPortal, browser: Any) -> None:
    """The gate can fail: an image without a text alternative on a demo page is reported."""
    host = next(iter(demo_portal.pages))
    page = browser.new_page()
    page.goto(demo_portal.url(host, "/"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/x.png\">')")
    result = _axe(page)
    assert "image-alt" in {violation["id"] for violation in result["violations"]}


def test_error_pages_without_a_portal_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """The platform host's 404 and the plain 500 a portal answers when its database is unreachable."""
    from django.template.loader import render_to_string
    from django.utils import translation

    problems: list[str] = []
    page = browser.new_page(viewport=DESKTOP)
    for language in ("de", "en"):
        page.set_extra_http_headers({"Accept-Language": language})
        problems += _violations(page, demo_portal.url("localhost", "/gibt-es-nicht/"), status=404)
        with translation.override(language):
            plain = render_to_string(
                "cms/errors/plain.html",
                {"status": 500, "municipality_name": "Stadt Gera", "home_url": "/", "LANGUAGE_CODE": language},
            )
        page.set_content(plain)
        problems += [f"plain 500 ({language}): {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def _portal_violations(browser: Any, demo_portal: DemoPortal, host: str, pages: list[list[str]]) -> list[str]:
    problems: list[str] = []
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for page_type, path in pages:
        if not page_type.startswith((CITIZEN_ONLY, STAFF_ONLY, KIOSK_ONLY, ADMIN_ONLY)):
            problems += _violations(page, demo_portal.url(host, path))
    for path in ENGLISH_PATHS:
        problems += _violations(page, demo_portal.url(host, path))
    problems += _violations(page, demo_portal.url(host, "/suche/?q=Hund"))
    page.goto(demo_portal.url(host, "/kontaktformular/"))  # sent empty: the error summary and linked messages
    page.click("form.contact-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href='#id_email']").count() == 1
    problems += [f"contact form with errors on {host}: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    for missing in ERROR_PATHS:  # the branded error page, German and English
        problems += _violations(page, demo_portal.url(host, missing), status=404)
    context.close()
    narrow = browser.new_context(viewport=NARROW)
    page = narrow.new_page()
    problems += _violations(page, demo_portal.url(host, "/"))
    narrow.close()
    return problems


def test_participation_pages_of_a_logged_in_citizen_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """The forms (report, idea, statement, project, plan, account) as the demo citizen sees them, and the map."""
    from demo.seed import DEMO_MUNICIPALITIES

    problems: list[str] = []
    for demo in DEMO_MUNICIPALITIES:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(demo_portal.url(demo.domain, "/antraege/konto/anmelden/?next=/beteiligung/"))
        page.fill("#id_username", demo.citizen_email)
        page.fill("#id_password", demo.citizen_password)
        page.click("main button[type=submit]")
        page.wait_for_url("**/beteiligung/")
        for page_type, path in demo_portal.pages[demo.domain]:
            if page_type.startswith(CITIZEN_ONLY):
                problems += _violations(page, demo_portal.url(demo.domain, path))
        # The map only after the visitor asks for it; its controls must pass as well (tiles stay offline).
        page.goto(demo_portal.url(demo.domain, "/beteiligung/maengel/melden/"))
        page.click("[data-map-show]")
        page.wait_for_selector(".leaflet-control-zoom-in")
        problems += [f"map on {demo.domain}: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        context.close()
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_the_caseworker_workbench_and_the_guest_report_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """Inbox and detail (notes, previews, decision panel) as the demo caseworker sees them; a guest's report
    up to "please confirm"."""
    from demo.seed import DEMO_MUNICIPALITIES

    problems: list[str] = []
    for demo in DEMO_MUNICIPALITIES:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(demo_portal.url(demo.domain, "/cms/login/"))
        page.fill("#id_username", demo.caseworker_email)
        page.fill("#id_password", demo.caseworker_password)
        page.click("button[type=submit]")
        page.wait_for_url("**/cms/")
        for page_type, path in demo_portal.pages[demo.domain]:
            if page_type.startswith(STAFF_ONLY):
                problems += _violations(page, demo_portal.url(demo.domain, path))
        context.close()
        # "Use my location" with a position the browser grants: it fills the coordinates and says so.
        guest = browser.new_context(
            viewport=DESKTOP, geolocation={"latitude": 51.3703, "longitude": 12.7371}, permissions=["geolocation"]
        )
        page = guest.new_page()
        page.goto(demo_portal.url(demo.domain, "/beteiligung/maengel/melden/"))
        page.click("[data-locate]")
        page.wait_for_function("document.querySelector('#id_latitude').value !== ''")
        assert (page.input_value("#id_latitude"), page.input_value("#id_longitude")) == ("51.370300", "12.737100")
        assert "Standort übernommen" in page.inner_text("[data-locate-status]")
        problems += [f"located on {demo.domain}: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        page.fill("#id_email", "axe-gast@example.org")
        page.fill("#id_description", "Gehweg uneben")
        page.fill("#id_address", "Markt 1")
        page.click("#report-form button[type=submit]")
        page.wait_for_selector("main [role=status]")
        problems += [f"guest report sent on {demo.domain}: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        guest.close()
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_an_application_step_with_conditional_and_repeatable_groups_passes_axe(
    demo_portal: DemoPortal, browser: Any
) -> None:
    """The event notice's second step as the demo citizen fills it: the road-closure group shown, two further days."""
    from demo.seed import DEMO_MUNICIPALITIES

    demo = DEMO_MUNICIPALITIES[0]
    problems: list[str] = []
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(demo_portal.url(demo.domain, "/antraege/konto/anmelden/?next=/antraege/veranstaltungsanzeige/"))
    page.fill("#id_username", demo.citizen_email)
    page.fill("#id_password", demo.citizen_password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/schritt/*/")
    if page.url.endswith("/schritt/0/"):
        for name, value in (("vorname", "Erika"), ("nachname", "Mustermann"), ("geburtsdatum", "1980-05-17"),
                            ("strasse", "Sorge 1"), ("plz", "07545"), ("ort", "Gera")):  # fmt: skip
            page.fill(f"[name={name}]", value)
        page.click("button[name=action][value=next]")
        page.wait_for_url("**/schritt/1/")
    for _entry in range(2):
        page.click("button[name=action][value='add:weitere_tage']")
        page.wait_for_load_state()
    page.check("[name=strasse_gesperrt][value=true]")
    assert page.is_visible("[name=gesperrte_strasse]") and page.is_visible("[name=weitere_tage-1-weiterer_tag]")
    problems += [f"step with groups: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    page.click("button[name=action][value=next]")  # errors in the groups' fields are shown as well
    page.wait_for_load_state()
    problems += [f"step with errors: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    context.close()
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_open_data_pages_of_the_platform_host_and_the_data_map_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """The cross-municipality data page on the platform host, and a data set's map once it is shown."""
    problems: list[str] = []
    page = browser.new_page(viewport=DESKTOP)
    for path in ("/daten/", "/daten/?organization=gera"):
        problems += _violations(page, demo_portal.url("localhost", path))
    page.goto(demo_portal.url("gera.localhost", "/daten/strassenbaeume/"))
    page.click("[data-map-show]")
    page.wait_for_selector(".leaflet-control-zoom-in")
    problems += [f"data map: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_the_office_form_import_page_passes_axe(demo_portal: DemoPortal, browser: Any, tmp_path: Any) -> None:
    """The cooperation office's XDatenfelder upload, empty and with the error a broken file gets."""
    from demo.seed import OFFICE_USER

    broken = tmp_path / "kaputt.xml"
    broken.write_text("<xdf:stammdatenschema", encoding="utf-8")
    path = "/office/catalogue/veranstaltungsanzeige/form-import/"
    problems: list[str] = []
    page = browser.new_page(viewport=DESKTOP)
    page.goto(demo_portal.url("localhost", f"/office/login/?next={path}"))
    page.fill("#id_username", OFFICE_USER[0])
    page.fill("#id_password", OFFICE_USER[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    problems += [f"form import: {v['id']} {v['help']} {v['nodes'][0]['target']}" for v in _axe(page)["violations"]]
    page.set_input_files("input[type=file]", str(broken))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("input[type=file][aria-invalid=true], .errorlist, [role=alert]").count() > 0
    problems += [f"form import with error: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_the_office_bulk_onboarding_pages_pass_axe(demo_portal: DemoPortal, browser: Any, tmp_path: Any) -> None:
    """The CSV upload with the error a broken file gets, the preview of a file with good, faulty and existing rows,
    and the progress page after confirmation."""
    from demo.seed import DEMO_MUNICIPALITIES, OFFICE_USER

    broken = tmp_path / "kaputt.csv"
    broken.write_bytes(b"name;ags\xff\n")
    existing = DEMO_MUNICIPALITIES[0]
    good = tmp_path / "gemeinden.csv"
    good.write_text(
        "name;ags;state;domain;admin_email\n"
        "Axe-Testort;14522888;14;axe-testort.localhost;it@axe-testort.example\n"
        "Kaputt;1452;99;http://x/;keine-adresse\n"
        f"{existing.name};{existing.ags};{existing.state};{existing.domain};{existing.admin_email}\n",
        encoding="utf-8",
    )
    path = "/office/onboarding/bulk/"
    problems: list[str] = []
    page = browser.new_page(viewport=DESKTOP)
    _login(page, demo_portal.url("localhost", f"/office/login/?next={path}"), *OFFICE_USER, path)
    page.set_input_files("input[type=file]", str(broken))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("input[type=file][aria-invalid=true]").count() == 1
    problems += [f"bulk upload with error: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    page.set_input_files("input[type=file]", str(good))
    page.click("main button[type=submit]")
    page.wait_for_url("**/office/onboarding/bulk/*/")
    assert page.locator("tr.row-error").count() == 1
    problems += [f"bulk preview: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[aria-live=polite] progress").count() == 1
    problems += [f"bulk progress: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_the_two_factor_pages_pass_axe(demo_portal: DemoPortal, browser: Any, demo_database: str) -> None:
    """Enrolment (QR code, then a wrong code), the recovery codes and the code entry of the next login."""
    from django_otp.oath import totp

    from demo.seed import OFFICE_USER

    problems: list[str] = []

    def check(label: str, page: Any) -> None:
        nonlocal problems
        problems += [f"{label}: {v['id']} {v['help']} {v['nodes'][0]['target']}" for v in _axe(page)["violations"]]

    def log_in(page: Any) -> None:
        page.goto(demo_portal.url("localhost", "/office/login/"))
        page.fill("#id_username", OFFICE_USER[0])
        page.fill("#id_password", OFFICE_USER[1])
        page.click("button[type=submit]")
        page.wait_for_load_state()

    try:
        page = browser.new_context(viewport=DESKTOP).new_page()
        log_in(page)
        page.goto(demo_portal.url("localhost", "/office/zwei-faktor/einrichten/"))
        check("enrolment", page)
        page.fill("#id_code", "000000")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        check("enrolment with error", page)
        secret = page.inner_text(".secret").replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.fill("#id_code", f"{totp(key):06d}")
        page.click("button[type=submit]")
        page.wait_for_selector(".codes")
        check("recovery codes", page)
        again = browser.new_context(viewport=DESKTOP).new_page()
        log_in(again)
        again.goto(demo_portal.url("localhost", "/office/"))
        assert "/office/zwei-faktor/" in again.url
        check("code entry", again)
    finally:  # the demo office user stays without a second factor for the other tests
        with psycopg.connect(demo_database) as connection:
            connection.execute("DELETE FROM public.otp_static_statictoken")
            connection.execute("DELETE FROM public.otp_static_staticdevice")
            connection.execute("DELETE FROM public.otp_totp_totpdevice")
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_kiosk_pages_and_the_kiosk_bar_on_portal_pages_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """On an activated terminal: the activation page, the kiosk's home, a walk-in ticket, and ordinary portal
    pages with the kiosk bar appended — also while its inactivity countdown runs."""
    from demo.seed import DEMO_MUNICIPALITIES

    problems: list[str] = []
    for demo in DEMO_MUNICIPALITIES:
        pages = demo_portal.pages[demo.domain]
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.clock.install()  # the inactivity timers run on a clock the test moves
        activation = next(path for page_type, path in pages if page_type == f"{KIOSK_ONLY}activate")
        problems += _violations(page, demo_portal.url(demo.domain, activation))
        page.click("main button[type=submit]")
        page.wait_for_url("**/termine/kiosk/")
        for page_type, path in pages:
            if page_type == f"{KIOSK_ONLY}page":
                problems += _violations(page, demo_portal.url(demo.domain, path))
                bar = page.locator(".kiosk-bar[data-kiosk]").count()
                assert bar == (0 if path.startswith("/termine/kiosk/") else 1), (demo.domain, path, bar)
        page.goto(demo_portal.url(demo.domain, "/leistungen/"))
        page.clock.fast_forward("01:31")  # 90 s without input: the countdown shows
        assert page.locator(".kiosk-bar [data-countdown-text]").is_visible()
        problems += [f"kiosk countdown on {demo.domain}: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        page.clock.run_for("00:16")  # the countdown runs out: the page posts to the reset view
        page.wait_for_url("**/termine/kiosk/")
        page.goto(demo_portal.url(demo.domain, "/leistungen/"))
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                      "'<a id=\"away\" href=\"https://example.org/\">weg</a>')")  # fmt: skip
        page.click("#away")  # a link off the host goes nowhere on a terminal
        assert page.url == demo_portal.url(demo.domain, "/leistungen/")
        page.goto(demo_portal.url(demo.domain, "/termine/kiosk/"))
        page.locator("form.kiosk-grid button[name=leistung]").first.click()
        page.wait_for_url("**/termine/kiosk/ticket/")
        problems += [f"kiosk ticket on {demo.domain}: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        context.close()
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_staff_screens_of_appointments_and_letters_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """As the municipality's administrator: the counter (day, statistics, terminals), appointment planning in
    /cms/ (calendars, counters, visits, bookings of visits, home-visit requests: lists, edit and add forms) and
    the letter settings (signatures, text templates, parking zones)."""
    from demo.seed import DEMO_MUNICIPALITIES

    problems: list[str] = []
    for demo in DEMO_MUNICIPALITIES:
        page = browser.new_page(viewport=DESKTOP)
        _login(page, demo_portal.url(demo.domain, "/cms/login/?next=/cms/"), demo.admin_email,
               demo.admin_password, "/cms/")  # fmt: skip
        for page_type, path in demo_portal.pages[demo.domain]:
            if page_type.startswith(ADMIN_ONLY):
                problems += _violations(page, demo_portal.url(demo.domain, path))
        page.close()
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


OFFICE_PAGES = (
    "/office/", "/office/municipalities/gera/", "/office/onboarding/", "/office/bundles/", "/office/bundles/new/",
    "/office/dashboard/", "/office/audit/", "/office/?q=a&sort=-ags", "/office/?q=nirgendwo&state=14",
    "/office/onboarding/bulk/", "/office/billing/", "/office/billing/?q=a&subscription=none&unpaid=on&sort=-ags",
    "/office/announcements/",
)  # fmt: skip
CMS_PAGES = ("/cms/go-live/", "/cms/leistungen-auswahl/", "/cms/")


def _login(page: Any, url: str, username: str, password: str, path: str) -> None:
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")


def test_office_console_and_go_live_pages_pass_axe(demo_portal: DemoPortal, browser: Any) -> None:
    """The office's layout (desktop and narrow), its municipality, onboarding, bundle and dashboard pages, an
    onboarding form with errors, and the /cms/ go-live checklist and service choice of a municipality."""
    from demo.seed import DEMO_MUNICIPALITIES, OFFICE_USER

    problems: list[str] = []
    for viewport in (DESKTOP, NARROW):
        page = browser.new_page(viewport=viewport)
        _login(page, demo_portal.url("localhost", "/office/login/?next=/office/"), *OFFICE_USER, "/office/")
        for path in OFFICE_PAGES:
            problems += _violations(page, demo_portal.url("localhost", path))
        page.goto(demo_portal.url("localhost", "/office/onboarding/"))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".error").count() > 0
        problems += [f"onboarding with errors: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        # The announcement page with the search's checkboxes, then refused (district key too short).
        page.goto(demo_portal.url("localhost", "/office/announcements/"))
        page.fill("#id_find", "a")
        page.click("button[name=action][value=find]")
        page.wait_for_load_state()
        assert page.locator("input[name=municipalities]").count() > 0
        problems += [f"announcement search: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        page.check("input[name=audience][value=district]")
        page.fill("#id_district", "147")
        page.click("button[name=action][value=post]")
        page.wait_for_load_state()
        assert page.locator(".error").count() > 0
        problems += [f"announcement with errors: {v['id']} {v['help']}" for v in _axe(page)["violations"]]
        page.close()
    gera = DEMO_MUNICIPALITIES[0]
    page = browser.new_page(viewport=DESKTOP)
    _login(page, demo_portal.url(gera.domain, "/cms/login/?next=/cms/"), gera.admin_email, gera.admin_password,
           "/cms/")  # fmt: skip
    for path in CMS_PAGES:
        problems += _violations(page, demo_portal.url(gera.domain, path))
    assert not problems, "axe found WCAG A/AA violations:\n" + "\n".join(problems)


def test_demo_portals_are_live_with_complete_legal_pages(demo_portal: DemoPortal, browser: Any) -> None:
    """The seeded demo: every municipality live, its go-live checklist complete, its dashboard figures computed."""
    from demo.seed import DEMO_MUNICIPALITIES, OFFICE_USER

    page = browser.new_page(viewport=DESKTOP)
    page.set_extra_http_headers({"Accept-Language": "de"})
    for demo in DEMO_MUNICIPALITIES:
        for path in ("/impressum/", "/datenschutz/", "/barrierefreiheit/", "/kontakt/"):
            response = page.goto(demo_portal.url(demo.domain, path))
            assert response is not None and response.status == 200, (demo.slug, path)
            html = page.content()
            assert demo.legal["authority_name"] in html or demo.legal["street"] in html, (demo.slug, path)
            assert "pflegt die Redaktion" not in html and "trägt hier" not in html, (demo.slug, path)
    _login(page, demo_portal.url("localhost", "/office/login/?next=/office/"), *OFFICE_USER, "/office/")
    office = page.content()
    assert "Testzahlung" in office and "nur vor Ort" not in office  # the demo pays with the test provider
    page.goto(demo_portal.url("localhost", "/office/dashboard/"))
    assert "Es wurden noch keine Zahlen berechnet" not in page.content()
    for demo in DEMO_MUNICIPALITIES:
        page.goto(demo_portal.url("localhost", f"/office/municipalities/{demo.slug}/"))
        assert "vollständig" in page.content(), demo.slug


def _tab_until(page: Any, condition: str, limit: int = 60) -> None:
    """Press Tab until the JavaScript ``condition`` holds for the focused element."""
    for _step in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached an element where {condition}")


def test_main_menu_and_search_work_with_the_keyboard_only(demo_portal: DemoPortal, browser: Any) -> None:
    host = "gera.localhost"
    page = browser.new_page(viewport=DESKTOP)
    page.goto(demo_portal.url(host, "/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(demo_portal.url(host, "/"))
    menu = page.eval_on_selector_all("#main-menu a", "links => links.map(link => link.pathname)")
    _tab_until(page, "!!el.closest('#main-menu')")
    visited = [page.evaluate("document.activeElement.pathname")]
    for _link in menu[1:]:
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.pathname"))
    assert visited == menu and "/leistungen/" in menu

    page.goto(demo_portal.url(host, "/"))
    _tab_until(page, "el.pathname === '/leistungen/'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistungen/")

    page.goto(demo_portal.url(host, "/"))
    _tab_until(page, "el.id === 'site-search-q'")
    page.keyboard.type("Hund")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Hund")
    assert "Hundesteuer" in page.inner_text("main")


def test_narrow_screens_open_the_menu_with_the_keyboard(demo_portal: DemoPortal, browser: Any) -> None:
    page = browser.new_page(viewport=NARROW)
    page.goto(demo_portal.url("wurzen.localhost", "/"))
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and not page.locator("#main-menu").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"], "horizontal scrolling"
    _tab_until(page, "el.className === 'menu-toggle'")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#main-menu").is_visible()
    assert page.evaluate("!!document.activeElement.closest('#main-menu')")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.className") == "menu-toggle"
