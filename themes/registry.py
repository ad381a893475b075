"""Theme packages (``themes/packages/<key>/``) and the self-hosted fonts a municipality can choose.

Imported by the settings module, so this module needs nothing from Django at import time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGES = Path(__file__).resolve().parent / "packages"
DEFAULT_THEME = "rathaus"
DEFAULT_FONT = "system"


@dataclass(frozen=True)
class Theme:
    """A theme package: ``templates/themes/<key>/base.html`` plus ``static/themes/<key>/theme.css``."""

    key: str
    name: dict[str, str]
    description: dict[str, str]

    @property
    def base_template(self) -> str:
        return f"themes/{self.key}/base.html"

    @property
    def stylesheet(self) -> str:
        return f"themes/{self.key}/theme.css"

    def label(self, language: str) -> str:
        return self.name.get(language) or self.name["de"]


@dataclass(frozen=True)
class Font:
    """A font served from our own static files (installed from npm); ``stylesheets`` are static paths."""

    key: str
    label: str
    family: str
    stylesheets: tuple[str, ...] = ()

    @property
    def preloads(self) -> tuple[str, ...]:
        """The Latin woff2 file of each stylesheet, fetched with the CSS so that text does not reflow later."""
        files = []
        for sheet in self.stylesheets:  # fonts/<family>/<weight>.css, as @fontsource names them
            _fonts, family, name = sheet.split("/")
            files.append(f"fonts/{family}/files/{family}-latin-{name.removesuffix('.css')}-normal.woff2")
        return tuple(files)


SYSTEM_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
FONTS = {
    font.key: font
    for font in (
        Font("system", "Systemschrift / system font", SYSTEM_STACK),
        Font(
            "atkinson-hyperlegible",
            "Atkinson Hyperlegible",
            f'"Atkinson Hyperlegible", {SYSTEM_STACK}',
            ("fonts/atkinson-hyperlegible/400.css", "fonts/atkinson-hyperlegible/700.css"),
        ),
        Font(
            "source-sans-3",
            "Source Sans 3",
            f'"Source Sans 3", {SYSTEM_STACK}',
            ("fonts/source-sans-3/400.css", "fonts/source-sans-3/700.css"),
        ),
        Font(
            "noto-sans",
            "Noto Sans",
            f'"Noto Sans", {SYSTEM_STACK}',
            ("fonts/noto-sans/400.css", "fonts/noto-sans/700.css"),
        ),
        Font("lexend", "Lexend", f'"Lexend", {SYSTEM_STACK}', ("fonts/lexend/400.css", "fonts/lexend/700.css")),
    )
}


@cache
def themes() -> dict[str, Theme]:
    """Every package below ``themes/packages/`` that has a ``theme.json``, by key."""
    found = {}
    for manifest in sorted(PACKAGES.glob("*/theme.json")):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        key = manifest.parent.name
        found[key] = Theme(key=key, name=data["name"], description=data["description"])
    return found


def theme(key: str) -> Theme:
    """The theme ``key``, or the default theme when the package is gone."""
    available = themes()
    return available.get(key) or available[DEFAULT_THEME]


def font(key: str) -> Font:
    return FONTS.get(key) or FONTS[DEFAULT_FONT]


def template_dirs() -> list[Path]:
    return [path for path in sorted(PACKAGES.glob("*/templates")) if path.is_dir()]


def static_dirs() -> list[Path]:
    return [path for path in sorted(PACKAGES.glob("*/static")) if path.is_dir()]
