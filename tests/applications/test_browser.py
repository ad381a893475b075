"""A citizen files a resident parking permit in headless Chromium against a real gunicorn and Celery worker.

The municipality for this test is committed (a server in another process must see it) and is used
by no other test, so the applications it creates disturb nothing else.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import schema_context

from tests.applications.conftest import offer, verified_resident
from tests.conftest import child_process_env, free_port, healthz_wait, server_start

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_town(django_db_setup: None, django_db_blocker: Any) -> str:
    from tenants.models import Municipality
    from tenants.services import municipality_create

    # Committed for the whole session: a town no other test creates (the office tests onboard Augustusburg).
    with django_db_blocker.unblock():
        if not Municipality.objects.filter(slug="oederan").exists():
            municipality_create(
                name="Stadt Oederan", slug="oederan", domain="oederan.localhost", ags="14522450",
                state="14", admin_email="it@oederan.example", admin_password="Oederan-Admin-Passwort-1",
            )  # fmt: skip
        offer("oederan", "bewohnerparkausweis")
        with schema_context("oederan"):
            verified_resident("Markt 1", "09569")  # the address the browser enters: decided automatically
    return "oederan.localhost"


@pytest.fixture(scope="session")
def portal_server(browser_town: str, celery_worker_process: Any, django_db_blocker: Any) -> Iterator[tuple[str, Path]]:
    """gunicorn on a free port with the test database; e-mails land as files in a temporary folder."""
    port = free_port()
    mail_dir = Path(tempfile.mkdtemp(prefix="amtsplatz-mail-"))
    env = child_process_env(
        django_db_blocker,
        AMTSPLATZ_PORTAL_PORT=str(port),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    command = [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = server_start(command, env=env)
    base = f"http://{browser_town}:{port}"
    healthz_wait(port, browser_town, process)
    yield base, mail_dir
    process.terminate()
    process.wait(timeout=20)


def _link_from_mail(mail_dir: Path, needle: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = message_from_bytes(path.read_bytes())
            text_parts = [part for part in message.walk() if part.get_content_type() == "text/plain"]
            payload = text_parts[0].get_payload(decode=True) if text_parts else b""
            body = payload.decode() if isinstance(payload, bytes) else ""
            for word in body.split():
                if needle in word:
                    return word
        time.sleep(0.2)
    raise AssertionError("no e-mail with the link arrived")


@pytest.mark.django_db  # makes pytest-django create the test database that the fixtures commit to
def test_citizen_files_pays_and_downloads_the_permit_in_a_browser(portal_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, mail_dir = portal_server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(accept_downloads=True, locale="de-DE").new_page()
        page.goto(f"{base}/antraege/bewohnerparkausweis/")
        page.fill("#id_email", "browser@example.org")
        page.click("main button[type=submit]")
        expect(page.locator("h1")).to_contain_text("E-Mail")

        page.goto(_link_from_mail(mail_dir, "/antraege/e-mail/"))
        for field, value in {"vorname": "Erika", "nachname": "Mustermann", "geburtsdatum": "1980-05-17",
                             "strasse": "Markt 1", "plz": "09569", "ort": "Oederan"}.items():  # fmt: skip
            page.fill(f"#id_{field}", value)
        page.check("#id_hauptwohnsitz_0")
        page.click("button[value=next]")

        page.fill("#id_kennzeichen", "FG-AB 12")
        page.fill("#id_gesamtmasse", "1400")
        expect(page.locator("#field-nutzungsnachweis")).to_be_visible()  # shown until "holder" is answered
        page.check("#id_halter_0")
        expect(page.locator("#field-nutzungsnachweis")).to_be_hidden()  # the condition hides it
        page.click("button[value=next]")

        expect(page.locator("body")).to_contain_text("FG-AB 12")
        page.click("button[data-once]")
        page.click("button[value=pay]")
        expect(page.locator(".test-banner")).to_be_visible()
        page.click("button[value=pay]")

        download_link = page.locator("a[href$='bescheid.pdf']")
        deadline = time.monotonic() + 60
        while not download_link.count() and time.monotonic() < deadline:
            time.sleep(0.5)
            page.reload()
        with page.expect_download() as download:
            download_link.click()
        assert download.value.suggested_filename.startswith("Bescheid-OED-")
        browser.close()
