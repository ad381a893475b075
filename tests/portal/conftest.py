"""The real demo (three municipalities, seeded as ``make demo`` does) in a database of its own, served by gunicorn.

The browser tests need the demo's content and branding exactly; the test database's Gera and Wurzen
are built differently, so the demo gets its own database next to the test database, dropped afterwards.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _SERVER_LOGS, PROJECT_ROOT, child_process_env, free_port, healthz_wait, server_start

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@dataclass(frozen=True)
class DemoPortal:
    port: int
    pages: dict[str, list[list[str]]]  # host → [[page type, path], …]
    log: Path  # the server's output (requests, warnings)

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def demo_portal(demo_database: str, django_db_blocker: Any) -> Iterator[DemoPortal]:
    port = free_port()
    env = {**child_process_env(django_db_blocker, AMTSPLATZ_PORTAL_PORT=str(port)), "DATABASE_URL": demo_database}
    pages = json.loads(_run([sys.executable, "-m", "tests.portal.page_inventory"], env))
    command = [sys.executable, "-m", "gunicorn", "amtsplatz.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    server = server_start(command, env=env)
    try:
        healthz_wait(port, next(iter(pages)), server)
        yield DemoPortal(port=port, pages=pages, log=_SERVER_LOGS[server.pid])
    finally:
        server.terminate()
        server.wait(timeout=20)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless. Not a fixture: Playwright's event loop must not outlive the test that
    uses it, or the database fixtures of later tests refuse to run (Django's async-safety check)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def _module_chromium() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def browser(_module_chromium: Any) -> Iterator[Any]:
    """One Chromium for all tests of a module (starting Playwright's driver and the browser costs seconds on
    two busy cores); the contexts and pages a test opened are closed after it. Only for modules whose tests
    never use the database in the test process: Playwright's event loop runs from the module's first test with
    this fixture to its last (see ``chromium``), and a module's tests without it run before them."""
    yield _module_chromium
    for context in _module_chromium.contexts:
        context.close()
