"""DCAT-AP.de 3.0 catalogues in RDF (rdflib): one per municipality, one for the platform host.

Both are built from *records* (opendata.selectors). A municipality's records are kept in the
installation-wide cache under its schema and replaced whenever one of its data sets changes; the
platform catalogue is serialised from all municipalities' records once per change (a generation
counter) and then answered from the cache (ADR 0062).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.cache import caches
from django.utils import translation
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from amtsplatz.infra.cache import CacheUnavailable
from opendata import vocabularies as vocab
from opendata.selectors import Record, catalogue_records
from tenants.context import run_in_each_municipality
from tenants.models import Municipality

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FORMATS = {"turtle": ("ttl", "text/turtle"), "xml": ("rdf", "application/rdf+xml"),
           "json-ld": ("jsonld", "application/ld+json")}  # fmt: skip
SUFFIX_TO_FORMAT = {suffix: name for name, (suffix, _type) in FORMATS.items()}
_RECORDS_KEY = "opendata:records:{schema}"
_GENERATION_KEY = "opendata:generation"
_PLATFORM_KEY = "opendata:platform:{fmt}"
_PLATFORM_RECORDS_KEY = "opendata:platform:records"


def _cache() -> Any:
    return caches["platform"]


# --- RDF -----------------------------------------------------------------------------------------------------


def _concept(graph: Graph, uri: str, scheme: str, kind: URIRef = SKOS.Concept) -> URIRef:
    """A controlled-vocabulary term with its scheme, so validators see which vocabulary it comes from."""
    node = URIRef(uri)
    graph.add((node, RDF.type, kind))
    if kind != SKOS.Concept:
        graph.add((node, RDF.type, SKOS.Concept))
    graph.add((node, SKOS.inScheme, URIRef(scheme)))
    return node


def _agent(graph: Graph, name: str) -> BNode:
    node = BNode(f"agent-{hashlib.sha1(name.encode()).hexdigest()[:16]}")  # noqa: S324 (a stable node label)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(name)))
    return node


def _datetime(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime)


def _add_dataset(graph: Graph, catalogue: URIRef, record: Record) -> None:
    municipality = record["municipality"]
    dataset = URIRef(record["landing_page"])
    graph.add((catalogue, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.identifier, Literal(record["landing_page"])))
    graph.add((dataset, DCTERMS.title, Literal(record["title"], lang="de")))
    graph.add((dataset, DCTERMS.description, Literal(record["description"], lang="de")))
    graph.add((dataset, DCTERMS.publisher, _agent(graph, record["publisher"])))
    for keyword in record["keywords"]:
        graph.add((dataset, DCAT.keyword, Literal(keyword, lang="de")))
    graph.add((dataset, DCAT.theme, _concept(graph, vocab.theme_uri(record["theme"]), vocab.THEME_SCHEME)))
    frequency = _concept(graph, vocab.frequency_uri(record["frequency"]), vocab.FREQUENCY_SCHEME, DCTERMS.Frequency)
    graph.add((dataset, DCTERMS.accrualPeriodicity, frequency))
    graph.add((dataset, DCTERMS.language, _language(graph)))
    graph.add((dataset, DCAT.landingPage, _document(graph, record["landing_page"])))
    spatial = URIRef(vocab.municipality_uri(municipality["ags"]))
    graph.add((spatial, RDF.type, DCTERMS.Location))
    graph.add((dataset, DCTERMS.spatial, spatial))
    if record["geonames"]:
        place = URIRef(record["geonames"])
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((dataset, DCTERMS.spatial, place))
    level = _concept(graph, vocab.POLITICAL_LEVEL_MUNICIPALITY, "http://dcat-ap.de/def/politicalGeocoding/Level")
    graph.add((dataset, DCATDE.politicalGeocodingLevelURI, level))
    start, end = record["temporal"]
    if start or end:
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if start:
            graph.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
        if end:
            graph.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
        graph.add((dataset, DCTERMS.temporal, period))
    if record["issued"]:
        graph.add((dataset, DCTERMS.issued, _datetime(record["issued"])))
    if record["modified"]:
        graph.add((dataset, DCTERMS.modified, _datetime(record["modified"])))
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, RDF.type, VCARD.Kind))  # Organization is a Kind; said outright for validators without inference
    graph.add((contact, VCARD.fn, Literal(record["contact_name"])))
    if record["contact_email"]:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{record['contact_email']}")))
    graph.add((contact, VCARD.hasURL, URIRef(municipality["portal"] + "/")))
    graph.add((dataset, DCAT.contactPoint, contact))
    licence = _concept(graph, vocab.licence_uri(record["licence"]), vocab.LICENCE_SCHEME, DCTERMS.LicenseDocument)
    for item in record["distributions"]:
        _add_distribution(graph, dataset, item, licence, record["attribution"])


def _add_distribution(graph: Graph, dataset: URIRef, item: dict[str, Any], licence: URIRef, attribution: str) -> None:
    distribution = URIRef(f"{dataset}#distribution-{item['id']}")
    graph.add((dataset, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCTERMS.title, Literal(item["title"], lang="de")))
    graph.add((distribution, DCAT.accessURL, URIRef(item["access_url"])))
    if item["download_url"]:
        graph.add((distribution, DCAT.downloadURL, URIRef(item["download_url"])))
    fmt = item["format"]
    file_type = _concept(graph, vocab.file_type_uri(fmt), vocab.FILE_TYPE_SCHEME, DCTERMS.MediaTypeOrExtent)
    graph.add((distribution, DCTERMS.format, file_type))
    media = URIRef(vocab.MEDIA_TYPES + vocab.FORMATS[fmt][1])
    graph.add((media, RDF.type, DCTERMS.MediaType))
    graph.add((distribution, DCAT.mediaType, media))
    graph.add((distribution, DCTERMS.license, licence))
    graph.add((distribution, DCATDE.licenseAttributionByText, Literal(attribution)))
    if item["size"] is not None:
        graph.add((distribution, DCAT.byteSize, Literal(item["size"], datatype=XSD.nonNegativeInteger)))
    if item["modified"]:
        graph.add((distribution, DCTERMS.modified, _datetime(item["modified"])))


def _language(graph: Graph) -> URIRef:
    return _concept(graph, vocab.GERMAN, vocab.LANGUAGE_SCHEME, DCTERMS.LinguisticSystem)


def _document(graph: Graph, url: str) -> URIRef:
    node = URIRef(url)
    graph.add((node, RDF.type, FOAF.Document))
    return node


def catalogue_graph(
    records: Iterable[Record], *, uri: str, title: str, description: str, publisher: str, homepage: str
) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("dcatde", DCATDE)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    catalogue = URIRef(uri)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(title, lang="de")))
    graph.add((catalogue, DCTERMS.description, Literal(description, lang="de")))
    graph.add((catalogue, DCTERMS.publisher, _agent(graph, publisher)))
    graph.add((catalogue, DCTERMS.language, _language(graph)))
    graph.add((catalogue, FOAF.homepage, _document(graph, homepage)))
    for record in records:
        _add_dataset(graph, catalogue, record)
    return graph


def serialise(graph: Graph, fmt: str) -> bytes:
    return graph.serialize(format=fmt, encoding="utf-8")


# --- One municipality ----------------------------------------------------------------------------------------


def refresh_records(municipality: Municipality, base_url: str) -> list[Record]:
    """Describe the active schema's public data sets again and keep them for the platform catalogue."""
    records = catalogue_records(municipality, base_url)
    _cache().set(_RECORDS_KEY.format(schema=municipality.schema_name), records, timeout=None)
    return records


def municipality_records(municipality: Municipality, base_url: str) -> list[Record]:
    """The active schema's records: from the cache, else described now."""
    cached = _cache().get(_RECORDS_KEY.format(schema=municipality.schema_name))
    return cached if cached is not None else refresh_records(municipality, base_url)


def municipality_catalogue(municipality: Municipality, base_url: str, fmt: str) -> bytes:
    with translation.override("de"):  # the catalogue's texts are tagged @de
        graph = _municipality_graph(municipality, base_url)
    return serialise(graph, fmt)


def _municipality_graph(municipality: Municipality, base_url: str) -> Graph:
    return catalogue_graph(
        municipality_records(municipality, base_url),
        uri=f"{base_url}/daten/katalog",
        title=_("Open data of %(name)s") % {"name": municipality.name},
        description=_("Data sets published by %(name)s on its citizen portal.") % {"name": municipality.name},
        publisher=municipality.name,
        homepage=f"{base_url}/daten/",
    )


# --- The platform host ---------------------------------------------------------------------------------------


def generation() -> int:
    return int(_cache().get(_GENERATION_KEY) or 0)


def changed() -> int:
    """Mark every platform catalogue as stale (a municipality's data sets changed); returns the new generation."""
    cache = _cache()
    try:
        cache.add(_GENERATION_KEY, 0, timeout=None)
        return int(cache.incr(_GENERATION_KEY))
    except CacheUnavailable:  # Redis away: nothing is cached meanwhile; a later change moves the generation on
        return generation()


def _active_municipalities() -> list[Municipality]:
    return list(
        Municipality.objects.filter(status=Municipality.Status.ACTIVE).prefetch_related("domains").order_by("slug")
    )


def _version() -> str:
    """Generation plus the set of active municipalities: a joined or suspended municipality is a change too."""
    schemas = Municipality.objects.filter(status=Municipality.Status.ACTIVE).order_by("slug")
    members = ",".join(schemas.values_list("schema_name", flat=True))
    return f"{generation()}:{hashlib.sha256(members.encode()).hexdigest()[:16]}"


def all_records(municipalities: list[Municipality]) -> list[Record]:
    """Records of ``municipalities``: from the cache; municipalities not cached are described now."""
    from tenants.context import municipality_base_url

    keys = {_RECORDS_KEY.format(schema=item.schema_name): item for item in municipalities}
    cached = _cache().get_many(list(keys))
    missing = [item for key, item in keys.items() if key not in cached]
    fresh = {
        _RECORDS_KEY.format(schema=item.schema_name): records
        for item, records in run_in_each_municipality(
            lambda item: refresh_records(item, municipality_base_url(item)), missing
        )
    }
    merged: list[Record] = []
    for key in keys:
        merged.extend(cached.get(key) or fresh.get(key) or [])
    return merged


def platform_records() -> list[Record]:
    """Every active municipality's records, kept as one entry until the next change."""
    version = _version()
    cached = _cache().get(_PLATFORM_RECORDS_KEY)
    if cached is not None and cached[0] == version:
        return list(cached[1])
    records = all_records(_active_municipalities())
    _cache().set(_PLATFORM_RECORDS_KEY, (version, records), timeout=None)
    return records


def platform_graph(base_url: str) -> Graph:
    with translation.override("de"):
        return catalogue_graph(
            platform_records(),
            uri=f"{base_url}/daten/katalog",
            title=_("Open data of the Amtsplatz municipalities"),
            description=_("All data sets published by the municipalities on the Amtsplatz platform."),
            publisher="Amtsplatz",
            homepage=f"{base_url}/daten/",
        )


def platform_catalogue(base_url: str, fmt: str) -> bytes:
    """The platform catalogue in ``fmt``: from the cache when nothing changed since it was built."""
    version = _version()
    cached = _cache().get(_PLATFORM_KEY.format(fmt=fmt))
    if cached is not None and cached[0] == version:
        return bytes(cached[1])
    return platform_catalogue_build(base_url, formats=[fmt])[fmt]


def platform_catalogue_build(base_url: str, formats: Iterable[str] = tuple(FORMATS)) -> dict[str, bytes]:
    """Build and keep the platform catalogue for the current version, in each of ``formats``."""
    version = _version()
    graph = platform_graph(base_url)
    built = {fmt: serialise(graph, fmt) for fmt in formats}
    _cache().set_many({_PLATFORM_KEY.format(fmt=fmt): (version, body) for fmt, body in built.items()}, timeout=None)
    return built
