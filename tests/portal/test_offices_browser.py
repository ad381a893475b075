"""Offices in the browser: the map opens from the keyboard, the finder is used with the keyboard only."""

from __future__ import annotations

from typing import Any

from tests.portal.conftest import DemoPortal
from tests.portal.test_accessibility import DESKTOP, _tab_until


def test_office_map_opens_from_the_keyboard_only_after_asking(demo_portal: DemoPortal, browser: Any) -> None:
    page = browser.new_page(viewport=DESKTOP)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(demo_portal.url("gera.localhost", "/dienststellen/"))
    assert not any("openstreetmap" in url for url in requested)
    assert page.locator("[data-map-canvas]").is_hidden()
    _tab_until(page, "el.hasAttribute('data-map-show')")
    page.keyboard.press("Enter")
    assert page.locator("[data-map-canvas]").is_visible()
    assert page.locator(".leaflet-marker-icon").count() >= 2  # one per office with coordinates


def test_finder_with_the_keyboard_only(demo_portal: DemoPortal, browser: Any) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(demo_portal.url("wurzen.localhost", "/zustaendigkeit/"))
    _tab_until(page, "el.id === 'id_q'")
    page.keyboard.type("Fahrzeug zulassen")
    page.keyboard.press("Tab")
    page.keyboard.type("04808")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zustaendigkeit/?*")
    if "Landratsamt Landkreis Leipzig" not in page.inner_text("#finder-result"):
        # Several services matched: choose the first from the list, still by keyboard.
        _tab_until(page, "!!el.closest('#finder-result') && el.tagName === 'A'")
        page.keyboard.press("Enter")
        page.wait_for_url("**leistung=*")
    result = page.inner_text("#finder-result")
    assert "Landratsamt Landkreis Leipzig" in result and "Stauffenbergstraße 4" in result
