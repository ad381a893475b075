"""Screenshots of the demo portals for ``docs/screenshots/`` (``make screenshots``).

.venv/bin/python -m scripts.screenshots [--output docs/screenshots] [--database amtsplatz_screenshots]

Builds a fresh database on the configured PostgreSQL server (the server of DATABASE_URL, else the
embedded one), migrates it, seeds the demo, serves it with gunicorn on a free local port and takes
full-page screenshots of each demo municipality's home page and one service page at desktop and
mobile width in Debian's Chromium (headless, driven by Playwright; no browser downloads).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import socket
import sys
import time
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bench.harness import gunicorn_start, gunicorn_stop

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

    from demo.seed import DemoMunicipality

PROJECT_ROOT = Path(__file__).resolve().parents[1]
WORK_DIR = PROJECT_ROOT / ".data" / "screenshots"  # media, private files and the server log of a run
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
    "mobile": {
        "viewport": {"width": 375, "height": 812},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}
MAX_PNG_BYTES = 1_500_000
# Scrolls once through the page so that lazy images load, then waits for the web fonts.
SETTLE_JS = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  window.scrollTo(0, 0);
  await document.fonts.ready;
}"""


@dataclass(frozen=True)
class Shot:
    """One screenshot: which portal, which page, which width, and where it is written."""

    slug: str
    name: str
    page: str  # "home" or "service"
    path: str  # URL path on the portal
    viewport: str  # key of VIEWPORTS

    @property
    def filename(self) -> str:
        return f"{self.slug}-{self.page}-{self.viewport}.png"


def service_key(demo: DemoMunicipality) -> str:
    """The service to show: the first one with local overrides (fee, note, …), else the first adopted."""
    return next((key for key, overrides in demo.services.items() if overrides), next(iter(demo.services)))


def planned_shots() -> list[Shot]:
    """Home and one service page of every demo municipality, each at every viewport."""
    from demo.seed import DEMO_MUNICIPALITIES

    shots: list[Shot] = []
    for demo in DEMO_MUNICIPALITIES:
        pages = {"home": "/", "service": f"/leistungen/{service_key(demo)}/"}
        for page, path in pages.items():
            shots.extend(Shot(demo.slug, demo.name, page, path, viewport) for viewport in VIEWPORTS)
    return shots


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database(name: str) -> str:
    """Drop and create database ``name`` on the configured server; point DATABASE_URL at it."""
    import psycopg

    from bench.harness import use_bench_database

    url = use_bench_database(name)  # honours DATABASE_URL's server, else starts the embedded one
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def prepare(database: str, port: int) -> None:
    """Environment for this process and the server, a fresh database, migrated and seeded."""
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtsplatz.settings",
            "AMTSPLATZ_PORTAL_PORT": str(port),  # the sites are created with this port: links match
            "AMTSPLATZ_REDIS_NAMESPACE": f"screenshots-{os.getpid()}",  # no cache entries of earlier runs
            "AMTSPLATZ_PAGE_CACHE_SECONDS": "0",
            "MEDIA_ROOT": str(WORK_DIR / "media"),
            "PRIVATE_MEDIA_ROOT": str(WORK_DIR / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    fresh_database(database)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    os.environ["REDIS_URL"] = settings.REDIS_URL  # the embedded Redis if REDIS_URL was unset
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # the seed renders PDFs; no progress lines
    quiet = io.StringIO()
    with redirect_stdout(quiet):
        call_command("migrate_all", verbosity=0, stdout=quiet)
        call_command("seed_demo", stdout=quiet)
    from django.db import connections

    connections.close_all()


def serve(port: int) -> Popen[bytes]:
    """gunicorn with the screenshot database on ``port``; returns once /healthz answers."""
    return gunicorn_start(port, "localhost", dict(os.environ), log=WORK_DIR / "gunicorn.log")


def server_log(lines: int = 40) -> str:
    path = WORK_DIR / "gunicorn.log"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def compress(path: Path) -> int:
    """Re-encode the PNG smaller (palette only if still above MAX_PNG_BYTES); returns its size."""
    from PIL import Image

    with Image.open(path) as image:
        image.load()
    image.save(path, optimize=True)
    if path.stat().st_size > MAX_PNG_BYTES:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)
    return path.stat().st_size


def photograph(context: BrowserContext, shot: Shot, port: int, target: Path) -> str:
    """Load the page, let it settle, take a full-page screenshot; returns the page title."""
    page = context.new_page()
    try:
        url = f"http://{shot.slug}.localhost:{port}{shot.path}"
        response = page.goto(url, wait_until="networkidle")
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            raise RuntimeError(f"{url} answered {status}:\n{server_log()}")
        page.evaluate(SETTLE_JS)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=target, full_page=True, animations="disabled", caret="hide")
        return page.title()
    finally:
        page.close()


def take(shots: list[Shot], port: int, output: Path) -> None:
    """Every shot in headless Chromium, one browser context per viewport."""
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = {
            name: browser.new_context(
                locale="de-DE", timezone_id="Europe/Berlin", color_scheme="light", reduced_motion="reduce", **options
            )
            for name, options in VIEWPORTS.items()
        }
        try:
            for index, shot in enumerate(shots, start=1):
                print(f"[{index}/{len(shots)}] {shot.slug} {shot.page} {shot.viewport} {shot.path} …", flush=True)
                target = output / shot.filename
                title = photograph(contexts[shot.viewport], shot, port, target)
                shown = target.relative_to(PROJECT_ROOT) if target.is_relative_to(PROJECT_ROOT) else target
                print(f"        «{title}» → {shown} ({compress(target) // 1024} KB)")
        finally:
            browser.close()


def write_readme(shots: list[Shot], output: Path) -> None:
    """docs/screenshots/README.md: what each file shows and how to make them again."""
    from demo.seed import DEMO_MUNICIPALITIES

    rows = [
        f"| [`{shot.filename}`]({shot.filename}) | {shot.name} | {shot.page} (`{shot.path}`) | {shot.viewport} "
        f"({VIEWPORTS[shot.viewport]['viewport']['width']} px) |"
        for shot in shots
    ]
    looks = [
        f"- {demo.name}: theme `{demo.theme}`, font `{demo.font}`, colours `{demo.primary_colour}` / "
        f"`{demo.secondary_colour}` / `{demo.accent_colour}`"
        for demo in DEMO_MUNICIPALITIES
    ]
    text = [
        "# Screenshots of the demo portals",
        "",
        "The demo municipalities of `make demo`, each in its own theme, colours and font: the home page and",
        "one service page (the first service with local overrides such as fee or note), full page, at desktop",
        "(1280×800) and mobile (375×812) width.",
        "",
        *looks,
        "",
        "Made again by `make screenshots` (`scripts/screenshots.py`): a fresh database `amtsplatz_screenshots` on",
        "the configured PostgreSQL server (`DATABASE_URL`, else the embedded one), migrated and seeded,",
        "served by gunicorn, photographed by Debian's Chromium (headless; `make` installs it and the emoji font",
        "`fonts-noto-color-emoji`). This file is written by the script too.",
        "",
        "| file | municipality | page | width |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    (output / "README.md").write_text("\n".join(text), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    parser.add_argument("--database", default="amtsplatz_screenshots")
    args = parser.parse_args()
    output: Path = args.output.resolve()

    started = time.monotonic()
    port = free_port()
    print(f"Database {args.database}: fresh, migrating and seeding the demo …", flush=True)
    prepare(args.database, port)
    shots = planned_shots()
    print(f"Seeded in {time.monotonic() - started:.0f} s; serving on port {port} (gunicorn) …", flush=True)
    try:
        server = serve(port)
        try:
            take(shots, port, output)
        finally:
            gunicorn_stop(server)
    except RuntimeError as error:  # a page or the server failed: say what, without a traceback
        print(f"Screenshots failed: {error}", file=sys.stderr)
        return 1
    write_readme(shots, output)
    print(f"{len(shots)} screenshots in {output} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
