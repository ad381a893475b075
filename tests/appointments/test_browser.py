"""A citizen books an appointment in headless Chromium with the keyboard, confirms it from the e-mail link and
cancels it through the link in the confirmation — against gunicorn and a real Celery worker that sends the mails.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    PROJECT_ROOT,
    child_process_env,
    committed_services_remove,
    free_port,
    healthz_wait,
    published_keys,
)
from tests.portal.conftest import chromium

SERVICE = "meldebescheinigung"


@pytest.fixture(scope="module")
def booking_server(gera: Any, celery_worker_process: Any, django_db_blocker: Any) -> Iterator[tuple[str, str]]:
    from django_tenants.utils import schema_context

    from tests.appointments.conftest import calendar

    with django_db_blocker.unblock():
        published = published_keys()
        cal = calendar("gera", "Bürgerbüro im Browser", services=(SERVICE,))
        with schema_context("gera"):
            slug = cal.office.slug
    port = free_port()
    env = child_process_env(django_db_blocker, AMTSPLATZ_PORTAL_PORT=str(port))
    command = [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    healthz_wait(port, "gera.localhost", process)
    yield f"http://gera.localhost:{port}", slug
    process.terminate()
    process.wait(timeout=20)
    from appointments.models import Booking

    with django_db_blocker.unblock(), schema_context("gera"):
        Booking.objects.filter(calendar=cal).delete()
        cal.office.delete()
        committed_services_remove({SERVICE} - published, schemas=("gera",))


def _mail(mail_dir: Path, recipient: str, marker: str) -> str:
    """The text of the e-mail to ``recipient`` whose body contains ``marker``."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            for raw in path.read_bytes().split(b"-" * 79):
                message = message_from_bytes(raw.strip())
                if recipient not in str(message.get("To", "")):
                    continue
                part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
                payload = part.get_payload(decode=True)
                text = payload.decode() if isinstance(payload, bytes) else ""
                if marker in text:
                    return text
        time.sleep(0.3)
    raise AssertionError(f"no e-mail with '{marker}' to {recipient} arrived")


@pytest.mark.django_db
def test_book_confirm_and_cancel_in_a_browser_with_the_keyboard(
    booking_server: tuple[str, str], worker_mail_dir: Path, django_db_blocker: Any
) -> None:
    base, slug = booking_server
    email = "browser-termin@example.org"
    with chromium() as browser:
        page = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844}).new_page()  # a phone
        page.goto(f"{base}/termine/")
        page.get_by_label(re.compile("Meldebescheinigung")).focus()
        page.keyboard.press("Space")
        page.keyboard.press("Enter")  # submits the form
        page.wait_for_url("**/termine/dienststelle/**")
        page.get_by_role("link", name="Bürgerbüro im Browser").click()
        page.wait_for_url(f"**/termine/buchen/{slug}/**")
        page.locator(".day-list a").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        first_time = page.locator(".times input[type=radio]").first
        first_time.focus()
        page.keyboard.press("Space")
        assert first_time.is_checked()
        page.fill("#id_name", "Browser Bürgerin")
        page.fill("#id_email", email)
        page.click("form[data-pow] button[type=submit]")
        page.wait_for_url("**/termine/reserviert/**")
        assert "E-Mail" in page.inner_text("h1")

        confirm_mail = _mail(worker_mail_dir, email, "/termine/bestaetigen/")
        confirm_link = next(word for word in confirm_mail.split() if "/termine/bestaetigen/" in word)
        page.goto(base + re.sub(r"^https?://[^/]+", "", confirm_link))  # the worker writes the default port
        page.get_by_role("button", name=re.compile("bestätigen", re.I)).click()
        page.wait_for_url("**/termine/termin/**")
        assert "bestätigt" in page.inner_text("main").lower()

        confirmed = _mail(worker_mail_dir, email, "/termine/termin/")
        manage_link = next(word for word in confirmed.split() if "/termine/termin/" in word)
        page.goto(base + re.sub(r"^https?://[^/]+", "", manage_link))
        page.get_by_role("button", name=re.compile("absagen", re.I)).click()
        page.wait_for_load_state()
        assert "abgesagt" in page.inner_text("main").lower()

    from django_tenants.utils import schema_context

    from appointments.models import Booking

    with django_db_blocker.unblock(), schema_context("gera"):
        booking = Booking.objects.get(email=email)
        assert booking.status == Booking.Status.CANCELLED and booking.name == "Browser Bürgerin"
