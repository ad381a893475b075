"""A citizen signs up and files a defect report in headless Chromium, against gunicorn and a real Celery worker:
the map sets the pin without any tile download, the browser solves the proof of work, the photo loses its GPS
tags, and the responsible office gets its e-mail from the worker.

The municipality is committed (the server runs in another process) and used by no other test.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.conftest import child_process_env, free_port, healthz_wait, server_start
from tests.participation.conftest import GPS_IFD, PASSWORD, jpeg_with_gps
from tests.portal.conftest import chromium

HOST = "zschopau.localhost"
OFFICE = "tiefbau@zschopau.example"


@pytest.fixture(scope="session")
def reporter_town(django_db_setup: None, django_db_blocker: Any) -> str:
    from django_tenants.utils import schema_context

    from participation.models import ParticipationSettings, ReportCategory
    from tenants.models import Municipality
    from tenants.services import municipality_create

    with django_db_blocker.unblock():
        if not Municipality.objects.filter(slug="zschopau").exists():
            municipality_create(
                name="Stadt Zschopau", slug="zschopau", domain=HOST, ags="14521690", state="14",
                admin_email="it@zschopau.example", admin_password="Zschopau-Admin-Passwort-1",
            )  # fmt: skip
        with schema_context("zschopau"):
            ReportCategory.objects.get_or_create(slug="strassenschaden", defaults={
                "name_de": "Straßenschaden", "office_name": "Tiefbauamt", "office_email": OFFICE})  # fmt: skip
            ParticipationSettings.objects.update_or_create(
                defaults={"proof_of_work_bits": 12, "map_latitude": "50.748000", "map_longitude": "13.070000"}
            )
    return HOST


@pytest.fixture(scope="session")
def reporter_server(
    reporter_town: str, celery_worker_process: Any, django_db_blocker: Any
) -> Iterator[tuple[str, Path]]:
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
    healthz_wait(port, reporter_town, process)
    yield f"http://{reporter_town}:{port}", mail_dir
    process.terminate()
    process.wait(timeout=20)


def _mail_to(mail_dir: Path, recipient: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            for raw in path.read_bytes().split(b"-" * 79):
                message = message_from_bytes(raw.strip())
                if recipient in str(message.get("To", "")):
                    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
                    payload = part.get_payload(decode=True)
                    return payload.decode() if isinstance(payload, bytes) else ""
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {recipient} arrived")


@pytest.mark.django_db  # makes pytest-django create the test database that the fixtures commit to
def test_a_citizen_files_a_defect_report_in_a_browser(
    reporter_server: tuple[str, Path], worker_mail_dir: Path, django_db_blocker: Any, tmp_path: Path
) -> None:
    base, mail_dir = reporter_server
    photo = tmp_path / "schlagloch.jpg"
    photo.write_bytes(jpeg_with_gps())
    with chromium() as browser:
        context = browser.new_context(locale="de-DE")
        context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())  # no network here anyway
        page = context.new_page()
        page.goto(f"{base}/beteiligung/konto/registrieren/")
        page.fill("#id_email", "browser-melder@example.org")
        page.fill("#id_pseudonym", "Schlaglochjaeger")
        page.fill("#id_password", PASSWORD)
        page.fill("#id_password_again", PASSWORD)
        page.click("main button[type=submit]")
        assert "E-Mail" in page.inner_text("h1")
        activation = next(word for word in _mail_to(mail_dir, "browser-melder@example.org").split()
                          if "/antraege/konto/aktivieren/" in word)  # fmt: skip
        page.goto(activation)
        page.wait_for_url("**/beteiligung/")

        page.goto(f"{base}/beteiligung/maengel/melden/")
        page.select_option("#id_category", label="Straßenschaden")
        page.fill("#id_description", "Tiefes Schlagloch vor der Einfahrt der Grundschule")
        page.fill("#id_address", "Zschopauer Markt 3")
        page.click("[data-map-show]")
        page.wait_for_selector(".leaflet-container")
        page.locator("[data-map-canvas]").click()  # sets the pin; the coordinate fields follow it
        assert page.input_value("#id_latitude").startswith("50.7")
        assert page.input_value("#id_longitude").startswith("13.0")
        page.set_input_files("#id_photos", str(photo))
        page.click("#report-form button[type=submit]")
        page.wait_for_url("**/beteiligung/maengel/*/")
        assert "Moderation" in page.inner_text("main")
        report_url = page.url

    office_mail = _mail_to(worker_mail_dir, OFFICE)  # sent by the Celery worker after commit
    assert "Tiefes Schlagloch vor der Einfahrt der Grundschule" in office_mail

    from django_tenants.utils import schema_context

    from participation.models import Report

    with django_db_blocker.unblock(), schema_context("zschopau"):
        report = Report.objects.get(description__startswith="Tiefes Schlagloch")
        assert report.checked, "the browser solved the proof of work"
        assert not report.is_public and report.author is not None and report.author.pseudonym == "Schlaglochjaeger"
        assert report.latitude is not None and report.address == "Zschopauer Markt 3"
        content = report.photos.get().file.open("rb").read()
    assert report_url.endswith(f"/beteiligung/maengel/{report.pk}/")
    assert GPS_IFD not in Image.open(io.BytesIO(content)).getexif()
