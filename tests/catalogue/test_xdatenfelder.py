"""XDatenfelder 2.0/3.0: public samples and our own documents import, report losses, refuse hostile input,
and every seed service's form survives an export to XDatenfelder 3.0 and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from applications.schema_forms import validate_data
from services_catalog.exchange import catalogue_files_read
from services_catalog.fim.xdatenfelder import XDatenfelderError, import_form
from services_catalog.fim.xdatenfelder_export import export_form
from services_catalog.fim.xmlsafe import XmlInputError

SAMPLES = Path(__file__).parent / "fim_samples"
SEED = Path(__file__).parents[2] / "services_catalog" / "seed"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English here; the German ones are checked where it matters."""
    with translation.override("en"):
        yield


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(group: dict[str, Any]) -> None:
        found.update({spec["id"]: spec for spec in group.get("fields", [])})
        for sub in group.get("groups", []):
            walk(sub)

    for group in schema["groups"]:
        walk(group)
    return found


@pytest.mark.parametrize("name", sorted(path.name for path in (SAMPLES / "flxbe").glob("v[23]-*.xml")))
def test_public_samples_import_or_fail_with_a_position(name: str) -> None:
    data = _sample(f"flxbe/{name}")
    if "unknown-namespace" in name:
        with pytest.raises(XDatenfelderError, match=r"Line 1: .*not an XDatenfelder 2\.0 or 3\.0 message"):
            import_form(data)
        return
    result = import_form(data)
    assert result.schema["groups"]
    assert result.schema["fim"]["xml"] == data.decode()
    assert result.schema["fim"]["report"] == [{"path": p, "message": m} for p, m in result.report]


def test_public_v2_sample_keeps_fim_ids_lengths_and_help() -> None:
    result = import_form(_sample("flxbe/v2-simple.xml"))
    assert (result.standard, result.fim_id, result.fim_version) == ("xdatenfelder-2.0", "T1234", "1.0")
    group = result.schema["groups"][0]
    assert group["fim"]["id"] == "G00000082"
    name = group["fields"][0]
    assert name == {
        "id": "familienname", "kind": "input", "type": "text", "label": {"de": "Familienname"},
        "help": {"de": "Hilfe Eingabe"}, "legal_reference": "Ein Bezug", "min_length": 1, "max_length": 120,
        "required": True,
        "fim": {"id": "F60000227", "version": "1.1", "name": "Familienname"},
    }  # fmt: skip
    assert [path for path, _m in result.report] == ["/xdatenfelder.stammdatenschema.0102/stammdatenschema/regel[1]"]


def test_public_v3_sample_nests_an_optional_group_as_zero_to_one_entries() -> None:
    result = import_form(_sample("flxbe/v3-simple.xml"))
    outer = result.schema["groups"][0]
    assert outer["fim"] == {"id": "G60000000088", "version": "1.2.0", "name": "Anschrift Inland"}
    inner = outer["groups"][0]
    assert inner["repeat"] == {"min": 0, "max": 1}
    assert inner["fields"][0]["max_length"] == 55
    assert outer["fim_rules"][0]["id"] == "R60000000019"


def test_every_construct_of_our_v3_document_is_mapped_or_reported() -> None:
    result = import_form(_sample("own/v3-all-constructs.xml"))
    fields = _fields(result.schema)
    assert fields["familienname"]["type"] == "text_latin" and fields["familienname"]["pattern"] == "[^0-9]*"
    assert fields["familienname"]["legal_reference"] == "§ 2 Abs. 1 Testgesetz"
    assert fields["geburtsdatum"]["min_value"] == "1900-01-01"
    assert (fields["anzahl_kinder"]["type"], fields["anzahl_kinder"]["max_value"]) == ("integer", 20)
    assert "required" not in fields["anzahl_kinder"]
    assert [entry["value"] for entry in fields["familienstand"]["code_list"]] == ["LD", "VH"]
    assert fields["staatsangehoerigkeit"]["kind"] == "input"
    assert "urn:de:bund:destatis" in fields["staatsangehoerigkeit"]["help"]["de"]
    assert (fields["verfahrensart"]["kind"], fields["verfahrensart"]["default"]) == ("locked", "online")
    assert (fields["quelle"]["kind"], fields["quelle"]["default"]) == ("hidden", True)
    assert fields["nachweis"]["cardinality"] == "1:2" and fields["nachweis"]["accept"] == ["application/pdf"]
    assert fields["nachweis"]["max_size_mb"] == 5
    assert fields["miete"]["type"] == "currency"
    assert fields["betreuungsbeginn"]["type"] == "text" and fields["betreuungsbeginn"]["pattern"]
    assert fields["hinweis_datenschutz"]["kind"] == "label"
    children = next(group for group in result.schema["groups"] if group["id"] == "kind")
    assert children["repeat"] == {"min": 0, "max": 5}
    assert children["groups"][0]["repeat"] == {"min": 0, "max": 1}
    phones = next(group for group in result.schema["groups"][-1]["groups"] if group.get("wraps_field"))
    assert phones["repeat"] == {"min": 0, "max": 3}
    reported = "\n".join(f"{path} {message}" for path, message in result.report)
    assert "stammdatenschema/regel[1]" in reported
    assert "struktur[5]/datenfeld/codelisteReferenz" in reported
    assert "“time”" in reported
    assert result.schema["fim"]["rules"][0]["id"] == "R99000000001"


def test_an_imported_form_validates_submissions_with_its_repeatable_groups() -> None:
    schema = import_form(_sample("own/v2-praezisierung.xml")).schema
    good = {"waffe": [{"seriennummer": "AB-123", "waffenart": "Langwaffe", "kaliber": "9.3"}]}
    assert validate_data(schema, good)[1] == {}
    bad = {"waffe": [{"seriennummer": "ab", "waffenart": "Langwaffe"}]}
    assert list(validate_data(schema, bad)[1]) == ["waffe[0].seriennummer"]


@pytest.mark.parametrize(
    ("document", "where"),
    [
        (b"<?xml version='1.0'?>\n<a>\n  <b></a>", "line 3, column"),
        (b"", "line 1, column 1"),
        (b"<root xmlns='urn:other'/>", "Line 1"),
    ],
)
def test_broken_or_unknown_documents_fail_with_the_position(document: bytes, where: str) -> None:
    with pytest.raises(XmlInputError, match=where):
        import_form(document)


def test_a_missing_identifier_is_named_by_its_path() -> None:
    data = _sample("flxbe/v2-simple.xml").replace(b"<xdf:id>F60000227</xdf:id>", b"")
    with pytest.raises(
        XDatenfelderError, match=r"stammdatenschema/struktur\[1\]/datenfeldgruppe/struktur\[1\]/datenfeld"
    ):
        import_form(data)


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2">
&lol3;</xdf:xdatenfelder.stammdatenschema.0102>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xdf:xdatenfelder.stammdatenschema.0102 xmlns:xdf="urn:xoev-de:fim:standard:xdatenfelder_2">
&secret;</xdf:xdatenfelder.stammdatenschema.0102>"""


@pytest.mark.parametrize("document", [LAUGHS, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_hostile_documents_are_refused_before_anything_is_expanded(document: bytes) -> None:
    with pytest.raises(XmlInputError, match="DTD or entity declaration"):
        import_form(document)


def test_messages_are_german_by_default() -> None:
    with translation.override("de"), pytest.raises(XmlInputError, match="aus Sicherheitsgründen abgelehnt"):
        import_form(EXTERNAL)


def test_a_50_mb_document_is_refused_by_its_size_without_parsing() -> None:
    # Well-formed apart from its size: a parser would accept it, so only the size check can refuse it.
    huge = b'<?xml version="1.0"?><a>' + b"x" * (50 * 1024 * 1024) + b"</a>"
    with pytest.raises(XmlInputError, match=r"50\.0 MB; at most 20 MB"):
        import_form(huge)


def _canonical(value: Any) -> Any:
    """Equal meaning: ``required: false`` and an empty rule list are the defaults."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if not (k == "required" and v is False) and v != []}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


SEED_FORMS = [service for service in catalogue_files_read([SEED])["services"] if service.get("form_schema")]


@pytest.mark.parametrize("service", SEED_FORMS, ids=[service["key"] for service in SEED_FORMS])
def test_every_seed_form_round_trips_through_xdatenfelder_3(service: dict[str, Any]) -> None:
    xml = export_form(service["form_schema"], key=service["key"], name=service["name"]["de"], version="1")
    assert b"urn:xoev-de:fim:standard:xdatenfelder_3.0.0" in xml
    back = import_form(xml)
    assert back.report == []
    assert "fim" not in back.schema  # our own identifiers are not passed off as FIM ids
    assert _canonical(back.schema) == _canonical(service["form_schema"])


def test_an_imported_fim_form_round_trips_with_its_ids_and_kept_rules() -> None:
    first = import_form(_sample("own/v3-all-constructs.xml")).schema
    xml = export_form(first, key="testleistung", name="Antrag auf Testleistung", version="1")
    second = import_form(xml).schema
    assert (second["fim"]["id"], second["fim"]["version"]) == ("S99000000001", "1.0.0")
    assert second["groups"] == first["groups"]
    assert second["fim"]["rules"] == first["fim"]["rules"]
