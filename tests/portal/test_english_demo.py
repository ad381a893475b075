"""The English home page of every demo municipality: English, or German marked ``lang="de"`` element by element.

The demo is seeded as ``make demo`` does; the check strips every element marked German and looks for German in
what is left: frequent German function words, umlauts and ß.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests.portal.conftest import DemoPortal
from tests.portal.test_languages import _VisibleText

# Frequent German words that are not also English words (no "in", "an", "so", "will", "also", "war", "die"…).
GERMAN_WORDS = frozenset(
    [
        "und",
        "der",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "mit",
        "für",
        "nicht",
        "ist",
        "sind",
        "wir",
        "ihr",
        "ihre",
        "ihren",
        "sie",
        "auf",
        "zu",
        "von",
        "im",
        "bei",
        "oder",
        "auch",
        "werden",
        "wird",
        "über",
        "nach",
        "aus",
        "sich",
        "noch",
        "wie",
        "unser",
        "unsere",
        "hier",
        "jetzt",
        "alle",
        "mehr",
        "zum",
        "zur",
        "beim",
        "vom",
        "ins",
        "durch",
        "gegen",
        "ohne",
        "unter",
        "können",
        "kann",
        "müssen",
        "sollen",
        "diese",
        "dieser",
        "dieses",
        "heute",
    ]
)
GERMAN_LETTERS = re.compile(r"[äöüÄÖÜß]")


def german_words(text: str) -> list[str]:
    """The words of ``text`` that look German."""
    words = re.findall(r"[\wäöüÄÖÜß]+", text)
    return sorted({word for word in words if word.lower() in GERMAN_WORDS or GERMAN_LETTERS.search(word)})


def test_the_detector_finds_german() -> None:
    assert german_words("Willkommen in Gera: Hier finden Sie alle Leistungen und Öffnungszeiten.") == [
        "Hier", "Sie", "alle", "und", "Öffnungszeiten",
    ]  # fmt: skip
    assert german_words("Welcome to Gera: here you find all services and opening hours.") == []


def _visible(demo_portal: DemoPortal, host: str, path: str) -> str:
    """The page's text outside elements marked German (the portal's host name sent as the Host header)."""
    request = urllib.request.Request(f"http://127.0.0.1:{demo_portal.port}{path}", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own test server)
        assert response.status == 200, f"{host}{path}"
        parser = _VisibleText()
        parser.feed(response.read().decode())
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.django_db
def test_english_home_pages_of_the_demo_have_no_unmarked_german(demo_portal: DemoPortal) -> None:
    from demo.seed import DEMO_MUNICIPALITIES

    problems = []
    for demo in DEMO_MUNICIPALITIES:
        host = demo.domain
        german = _visible(demo_portal, host, "/")
        assert len(german_words(german)) > 10, f"the German home page of {host} should be German"
        # The municipality's name is a proper name; where no element can carry lang (the <title>) it stays.
        if found := german_words(_visible(demo_portal, host, "/en/").replace(demo.name, "")):
            problems.append(f"{host}/en/: {found}")
    assert not problems, "\n".join(problems)
