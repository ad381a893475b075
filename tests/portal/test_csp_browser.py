"""The Content-Security-Policy breaks nothing: Debian's Chromium loads every page type of a demo portal, the maps,
an application step, the booking, a kiosk terminal, Wagtail's admin, the staff screens and the office console
and reports no violation.

The test suite's servers run the policy report-only (``AMTSPLATZ_CSP_MODE``, tests/conftest.py): the pages
work as usual and every violation shows up three ways, all collected here: a ``securitypolicyviolation``
event in the page, Chromium's console message, and a report to ``/csp-report`` in the server's log.
"""

from __future__ import annotations

import time
from typing import Any

from demo.seed import DEMO_MUNICIPALITIES, OFFICE_USER
from tests.portal.conftest import DemoPortal

CITIZEN_ONLY = "participation-citizen."
KIOSK_ONLY = "appointments-kiosk."  # opened on an activated terminal
ADMIN_ONLY = "municipality-admin."  # the municipality's administrator logs in first
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI} (${where})`);
});
"""


class Violations:
    """What one browser context saw: events in each page (read before leaving it) and console messages."""

    def __init__(self, context: Any) -> None:
        context.add_init_script(COLLECT)
        self.found: list[str] = []
        self.page = context.new_page()
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.found.append(f"console on {self.page.url}: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response and response.status}"
        self.read()

    def read(self) -> None:
        self.found += [f"{self.page.url}: {item}" for item in self.page.evaluate("window.__cspViolations || []")]
        self.page.evaluate("window.__cspViolations = []")


def _server_reports(demo_portal: DemoPortal) -> list[str]:
    """The violations the demo's server was sent (logged by /csp-report)."""
    return [line for line in demo_portal.log.read_text(errors="replace").splitlines() if "CSP violation" in line]


def _login(seen: Violations, url: str, username: str, password: str) -> None:
    seen.visit(url)
    seen.page.fill("#id_username", username)
    seen.page.fill("#id_password", password)
    seen.page.click("form:has(#id_password) button[type=submit]")
    seen.page.wait_for_url(lambda url: "/anmelden/" not in url and "/login/" not in url)
    seen.read()


def _map(seen: Violations, url: str) -> None:
    """A page whose map is shown on request (tiles are not reachable offline; that is no violation)."""
    seen.visit(url)
    seen.page.click("[data-map-show]")
    seen.page.wait_for_selector(".leaflet-control-zoom-in")
    seen.read()


def test_no_violations_on_portal_cms_and_office_pages(demo_portal: DemoPortal, browser: Any) -> None:
    demo = DEMO_MUNICIPALITIES[0]
    host = demo.domain
    reports_before = len(_server_reports(demo_portal))
    anonymous = Violations(browser.new_context())
    for page_type, path in demo_portal.pages[host]:
        if not page_type.startswith((CITIZEN_ONLY, KIOSK_ONLY, ADMIN_ONLY)):
            anonymous.visit(demo_portal.url(host, path))
    for path in ("/en/", "/suche/?q=Hund", "/api/v1/docs"):
        anonymous.visit(demo_portal.url(host, path))
    _map(anonymous, demo_portal.url(host, "/dienststellen/"))
    _map(anonymous, demo_portal.url(host, "/daten/strassenbaeume/"))

    citizen = Violations(browser.new_context())
    _login(citizen, demo_portal.url(host, "/antraege/konto/anmelden/?next=/antraege/veranstaltungsanzeige/"),
           demo.citizen_email, demo.citizen_password)  # fmt: skip
    assert "/schritt/" in citizen.page.url  # an application form's step
    for page_type, path in demo_portal.pages[host]:
        if page_type.startswith(CITIZEN_ONLY):
            citizen.visit(demo_portal.url(host, path))
    _map(citizen, demo_portal.url(host, "/beteiligung/maengel/melden/"))

    terminal = Violations(browser.new_context())
    activation = next(path for page_type, path in demo_portal.pages[host] if page_type == f"{KIOSK_ONLY}activate")
    terminal.visit(demo_portal.url(host, activation))
    terminal.page.click("main button[type=submit]")
    terminal.page.wait_for_url("**/termine/kiosk/")
    terminal.read()
    for page_type, path in demo_portal.pages[host]:
        if page_type == f"{KIOSK_ONLY}page":
            terminal.visit(demo_portal.url(host, path))

    editor = Violations(browser.new_context())
    _login(editor, demo_portal.url(host, "/cms/login/"), demo.admin_email, demo.admin_password)
    for path in ("/cms/pages/", "/cms/antraege/", "/cms/beteiligung/moderation/", "/cms/beteiligung/meldungen/"):
        editor.visit(demo_portal.url(host, path))
    for page_type, path in demo_portal.pages[host]:
        if page_type.startswith(ADMIN_ONLY):
            editor.visit(demo_portal.url(host, path))

    office = Violations(browser.new_context())
    _login(office, demo_portal.url("localhost", "/office/login/"), *OFFICE_USER)
    for path in ("/office/", "/office/catalogue/", "/office/catalogue/veranstaltungsanzeige/preview/",
                 "/office/billing/", "/daten/"):  # fmt: skip
        office.visit(demo_portal.url("localhost", path))
    found = anonymous.found + citizen.found + terminal.found + editor.found + office.found
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)
    assert _server_reports(demo_portal)[reports_before:] == []


def test_the_collector_sees_a_violation_and_the_server_gets_the_report(demo_portal: DemoPortal, browser: Any) -> None:
    """The check can fail: an inline script without the nonce is reported by the page and to /csp-report."""
    before = len(_server_reports(demo_portal))
    seen = Violations(browser.new_context())
    seen.visit(demo_portal.url("gera.localhost", "/"))
    seen.page.add_script_tag(content="window.injected = true;")
    seen.read()
    assert any("script-src" in item for item in seen.found), seen.found
    deadline = time.monotonic() + 60
    while len(_server_reports(demo_portal)) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "blocked inline on /" in _server_reports(demo_portal)[before]
