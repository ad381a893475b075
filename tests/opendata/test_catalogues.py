"""DCAT-AP.de catalogues: valid against the official SHACL shapes, per municipality and for the platform host."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SH

from tests.opendata.conftest import add_file, make_dataset

SHAPES_DIR = Path(__file__).parent / "shacl"
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


def _shapes() -> Graph:
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _results(data: Graph) -> tuple[list[str], list[str]]:
    """Messages of the violations and of the warnings the DCAT-AP.de 3.0 shapes report for ``data``."""
    _conforms, report, _text = validate(data, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    found: dict[Any, list[str]] = {SH.Violation: [], SH.Warning: []}
    for result in report.subjects(SH.resultSeverity, None):
        severity = report.value(result, SH.resultSeverity)
        where = f"{report.value(result, SH.focusNode)} {report.value(result, SH.resultPath)}"
        message = f"{where}: {report.value(result, SH.resultMessage)}"
        found.setdefault(severity, []).append(message)
    return found[SH.Violation], found[SH.Warning]


def _catalogue(client: Client, suffix: str) -> Graph:
    response = client.get(f"/daten/katalog.{suffix}")
    assert response.status_code == 200, response.content[:500]
    return Graph().parse(data=response.content, format=FORMATS[suffix])


@pytest.fixture
def published(gera: Any, wurzen: Any, django_capture_on_commit_callbacks: Any, tasks_inline: None) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        trees = make_dataset(gera, "baeume", temporal_start=date(2020, 1, 1), temporal_end=date(2025, 12, 31),
                             geonames_url="https://sws.geonames.org/2921232/")  # fmt: skip
        add_file(gera, trees)
        make_dataset(gera, "entwurf", published=False, title="Gera intern")
        parking = make_dataset(wurzen, "parkplaetze", title="Parkplätze Wurzen", keywords=["Parken"], theme="TRAN")
        add_file(wurzen, parking, "parken.csv", b"Name,Plaetze\nMarkt,40\nBahnhof,120\n")


@pytest.mark.django_db
def test_every_catalogue_has_no_shacl_violation(published: None, gera_client: Client, wurzen_client: Client,
                                                 platform_client: Client) -> None:  # fmt: skip
    for client in (gera_client, wurzen_client, platform_client):
        graph = _catalogue(client, "ttl")
        assert len(list(graph.subjects(None, DCAT.Dataset))) >= 2
        violations, warnings = _results(graph)
        assert violations == [], "\n".join(violations)
        assert warnings == [], "\n".join(warnings)


@pytest.mark.django_db
def test_the_three_rdf_formats_say_the_same(published: None, gera_client: Client) -> None:
    graphs = [_catalogue(gera_client, suffix) for suffix in FORMATS]
    assert len(graphs[0]) > 50
    # Blank nodes are labelled per serialisation: compare the triples between named nodes and literals.
    named = [{t for t in graph if not any(type(part).__name__ == "BNode" for part in t)} for graph in graphs]
    assert named[0] == named[1] == named[2]


@pytest.mark.django_db
def test_a_municipality_catalogue_holds_only_its_own_published_data(
    published: None, gera_client: Client, wurzen_client: Client
) -> None:
    gera_graph = _catalogue(gera_client, "ttl")
    wurzen_graph = _catalogue(wurzen_client, "ttl")
    gera_titles = {str(title) for title in gera_graph.objects(None, DCTERMS.title)}
    wurzen_titles = {str(title) for title in wurzen_graph.objects(None, DCTERMS.title)}
    assert "Straßenbäume Stadt Gera" in gera_titles
    assert "Parkplätze Wurzen" in wurzen_titles
    assert "Straßenbäume Stadt Gera" not in wurzen_titles
    assert "Parkplätze Wurzen" not in gera_titles
    assert "Gera intern" not in gera_titles  # not published
    assert not any("gera.localhost" in str(node) for node in wurzen_graph.all_nodes())


@pytest.mark.django_db
def test_the_platform_catalogue_holds_both_with_the_right_publisher(published: None, platform_client: Client) -> None:
    graph = _catalogue(platform_client, "ttl")

    def publisher(landing_page: str) -> str:
        agent = graph.value(URIRef(landing_page), DCTERMS.publisher)
        return str(graph.value(agent, FOAF.name))

    assert publisher("http://gera.localhost:8000/daten/baeume/") == "Stadt Gera"
    assert publisher("http://wurzen.localhost:8000/daten/parkplaetze/") == "Stadt Wurzen"
    assert (None, DCTERMS.title, Literal("Gera intern", lang="de")) not in graph
    spatial = graph.value(URIRef("http://gera.localhost:8000/daten/baeume/"), DCTERMS.spatial, any=True)
    assert spatial is not None


@pytest.mark.django_db
def test_the_platform_catalogue_answers_from_the_cache_until_something_changes(
    published: None, gera: Any, platform_client: Client, django_capture_on_commit_callbacks: Any,
    tasks_inline: None, django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    first = platform_client.get("/daten/katalog.ttl").content
    with django_assert_max_num_queries(3):  # the list of active municipalities; no schema is read
        assert platform_client.get("/daten/katalog.ttl").content == first
    with django_capture_on_commit_callbacks(execute=True):
        make_dataset(gera, "haushalt", title="Haushaltsplan Gera", theme="ECON")
    assert "Haushaltsplan Gera" in platform_client.get("/daten/katalog.ttl").content.decode()
