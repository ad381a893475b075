"""Open-data CSV exports never hand a spreadsheet a formula written by a citizen."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from amtsplatz.infra.security.csv_safety import safe_cell
from participation import services
from participation.models import Space
from tests.participation.conftest import citizen, space

FORMULAS = ['=HYPERLINK("http://evil.example","Klick")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_starts_a_formula_is_shown_as_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_harmless_cells_and_numbers_stay_as_they_are() -> None:
    assert safe_cell("Bücherschrank am Park") == "Bücherschrank am Park"
    assert safe_cell("Straße 1 = Markt") == "Straße 1 = Markt"
    assert safe_cell(-12.5) == -12.5 and safe_cell(3) == 3 and safe_cell(None) == ""


@pytest.mark.django_db
def test_the_ideas_export_neutralises_a_formula_in_a_title(gera: Any) -> None:
    author = citizen("gera", "Formelwerk")
    ideas = space("gera", Space.Kind.IDEAS, "formeln", premoderation=False)
    with schema_context("gera"):
        services.idea_propose(participant=author, space=ideas, title=FORMULAS[0], text="@Rathaus bitte prüfen")
    exported = Client(HTTP_HOST="gera.localhost").get("/api/v1/ideas?format=csv").content.decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["title"] for row in rows] == ["'" + FORMULAS[0]]
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
