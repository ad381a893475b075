"""The citizen flow in headless Chromium: a substantial service, "Mit BundID anmelden" at the TEST IdP
(a separate process that reads the portal's SP metadata over HTTP), back to the draft with verified values,
submit. Real gunicorn, real redirects, real signatures and encryption."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import schema_context

from tests.applications.conftest import offer
from tests.applications.test_browser import CHROMIUM_ARGS, browser_town, portal_server
from tests.citizens.identity_providers import saml_idp

__all__ = ["browser_town", "portal_server", "saml_idp"]


@pytest.fixture(scope="module")
def browser_bundid(browser_town: str, saml_idp: str, django_db_blocker: Any) -> str:
    """Oederan (committed for the module) offers the Meldebescheinigung and logs in with the TEST IdP."""
    from citizens.models import SamlIdentityProvider

    with django_db_blocker.unblock():
        offer("oederan", "meldebescheinigung")
        with schema_context("oederan"):
            SamlIdentityProvider.objects.get_or_create(metadata_url=f"{saml_idp}/metadata")
    return saml_idp


@pytest.mark.django_db
def test_citizen_applies_with_bundid_in_a_browser(browser_bundid: str, portal_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _mail_dir = portal_server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(locale="de-DE").new_page()
        page.goto(f"{base}/antraege/meldebescheinigung/")
        expect(page.locator("h1")).to_contain_text("sicherer")
        page.click("a.button:has-text('BundID')")

        expect(page.locator("h1")).to_contain_text("TEST-Identitätsprovider")
        page.select_option("select[name=level]", "STORK-QAA-Level-3")
        page.click("button[type=submit]")

        expect(page.locator("#id_vorname")).to_have_value("Erika")
        expect(page.locator("#id_vorname")).to_be_disabled()
        expect(page.locator("#id_geburtsdatum")).to_have_value("1964-08-12")
        page.click("button[value=next]")
        page.check("#id_art_0")
        page.click("button[value=next]")

        expect(page.locator("body")).to_contain_text("Mustermann")
        page.click("button[data-once]")
        expect(page.locator("body")).to_contain_text("OED-")
        browser.close()
    with schema_context("oederan"):
        from applications.models import Application

        filed = Application.objects.filter(service__definition__key="meldebescheinigung").latest("submitted_at")
        assert filed.auth_method == "bundid" and filed.auth_level == "substantial"
        assert filed.verified["vorname"] == "Erika"
