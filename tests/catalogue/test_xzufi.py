"""XZuFi: every seed service survives export and import; a municipality's offices travel with it, only its own."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django_tenants.utils import schema_context

from services_catalog.exchange import catalogue_files_read, normalised
from services_catalog.fim.xmlsafe import XmlInputError
from services_catalog.fim.xzufi import NS, XZuFiError, export_services, import_services
from services_catalog.models import ServiceDefinition
from tenants.models import Municipality
from tests.catalogue.factories import published_service

SEED_FOLDER = Path(__file__).parents[2] / "services_catalog" / "seed"
SEED = [normalised(service) for service in catalogue_files_read([SEED_FOLDER])["services"]]
OFFICE = {"id": "buergeramt", "name": "Bürgeramt Gera", "street": "Markt 1", "postcode": "07545", "city": "Gera"}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English here; the German ones are checked where it matters."""
    with translation.override("en"):
        yield


def test_every_seed_service_round_trips_through_xzufi() -> None:
    offered = {**OFFICE, "services": [SEED[0]["key"]]}
    back = import_services(export_services(SEED, organisations=[offered]))
    assert back.organisations == [OFFICE]
    assert back.services[0]["offered_by"] == ["buergeramt"]
    assert all(service["offered_by"] == [] for service in back.services[1:])
    for original, imported in zip(SEED, back.services, strict=True):
        imported = {key: value for key, value in imported.items() if key != "offered_by"}
        assert normalised(imported) == original, original["key"]


def test_text_modules_carry_the_leika_module_codes() -> None:
    service = next(s for s in SEED if s["texts"].get("rechtsgrundlage"))
    xml = export_services([service]).decode()
    for code in ("03", "05", "06", "07"):
        assert f'listURI="urn:de:fim:leika:textmodul"><code>{code}</code>' in xml
    assert f'xmlns:xzufi="{NS}"' in xml


def test_a_service_without_name_or_with_a_bad_duration_fails_naming_the_place() -> None:
    xml = export_services([SEED[0]])
    without_name = xml.replace(b"<code>03</code>", b"<code>99</code>")
    with pytest.raises(XZuFiError, match=r"leistung\[1\]/modulText\[1\]: text module code “99”"):
        import_services(without_name)
    with pytest.raises(XmlInputError, match="not an XZuFi transfer"):
        import_services(b"<leistungen/>")


@pytest.mark.django_db
def test_export_for_a_municipality_lists_its_offices_only_and_import_is_idempotent(
    gera: Municipality, wurzen: Municipality, tmp_path: Path
) -> None:
    from offices.demo import offices_demo_ensure
    from offices.models import Office

    published_service("xzufitest")
    names: dict[str, set[str]] = {}
    for slug in ("gera", "wurzen"):
        with schema_context(slug):
            offices_demo_ensure(slug)
            names[slug] = set(Office.objects.values_list("name", flat=True))
    assert names["gera"] and names["wurzen"] and not names["gera"] & names["wurzen"]
    target = tmp_path / "gera.xml"
    call_command("export_xzufi", "--municipality", "gera", "--output", str(target), stderr=StringIO())
    exported = import_services(target.read_bytes())
    listed = {organisation["name"] for organisation in exported.organisations}
    assert names["gera"] <= listed
    assert not names["wurzen"] & listed  # nothing of Wurzen in Gera's transfer
    before = ServiceDefinition.objects.get(key="xzufitest").latest_version_id
    out = StringIO()
    call_command("import_xzufi", str(target), stdout=out)
    assert "unchanged" in out.getvalue()
    assert ServiceDefinition.objects.get(key="xzufitest").latest_version_id == before


def _offices_of(slug: str) -> list[tuple[object, ...]]:
    from offices.models import Office

    with schema_context(slug):
        return [
            (o.slug, o.name, o.street, o.postcode, o.city, o.phone, o.email, o.contact_url,
             tuple(sorted(o.services.values_list("definition__key", flat=True))))
            for o in Office.objects.order_by("slug")
        ]  # fmt: skip


@pytest.mark.django_db
def test_import_with_a_municipality_creates_and_updates_its_offices_as_exported(
    gera: Municipality, wurzen: Municipality, tmp_path: Path
) -> None:
    from offices.demo import offices_demo_ensure
    from offices.models import Office
    from services_catalog.local.services import service_adopt

    definition = published_service("xzufitest")
    for slug in ("gera", "wurzen"):
        with schema_context(slug):
            offices_demo_ensure(slug)
            office = Office.objects.order_by("slug").last()
            assert office is not None
            office.services.add(service_adopt(definition=definition))
            office.save()
    before, wurzen_before = _offices_of("gera"), _offices_of("wurzen")
    assert any(row[8] for row in before)  # services travel with the offices
    target = tmp_path / "gera.xml"
    call_command("export_xzufi", "--municipality", "gera", "--output", str(target), stderr=StringIO())
    with schema_context("gera"):
        first, second = Office.objects.order_by("slug")[:2]
        Office.objects.filter(pk=first.pk).update(name="Umbenannt", street="Irgendwo 9")
        second.services.clear()
        second.delete()
    assert _offices_of("gera") != before
    out = StringIO()
    call_command("import_xzufi", str(target), "--municipality", "gera", stdout=out)
    assert _offices_of("gera") == before
    assert "created" in out.getvalue() and "updated" in out.getvalue()
    assert _offices_of("wurzen") == wurzen_before  # Gera's transfer changes nothing of Wurzen


@pytest.mark.django_db
def test_an_invalid_office_in_the_transfer_imports_nothing(gera: Municipality, tmp_path: Path) -> None:
    organisation = {**OFFICE, "id": "municipality:kaputt", "postcode": "123", "services": ["xzufibad-neu"]}
    documents = [{**SEED[0], "key": "xzufibad-neu"}]
    target = tmp_path / "bad.xml"
    target.write_bytes(export_services(documents, organisations=[organisation]))
    with pytest.raises(CommandError, match=r"Bürgeramt Gera: .*five digits"):
        call_command("import_xzufi", str(target), "--municipality", "gera", stdout=StringIO())
    assert not ServiceDefinition.objects.filter(key="xzufibad-neu").exists()
    with schema_context("gera"):
        from offices.models import Office

        assert not Office.objects.filter(slug="kaputt").exists()


SHAPE = Path(__file__).parents[2] / "services_catalog" / "fim" / "xzufi_shape.xsd"


def test_every_export_has_the_shape_of_our_xzufi_schema() -> None:
    """Structural validation (the official XZuFi XSD is not available offline; ADR 0088)."""
    from lxml import etree  # type: ignore[import-untyped]

    schema = etree.XMLSchema(etree.parse(str(SHAPE)))
    offered = {**OFFICE, "id": "municipality:buergeramt", "phone": "0365 1", "email": "a@gera.example",
               "url": "https://gera.example/kontakt", "services": [SEED[0]["key"]]}  # fmt: skip
    document = etree.fromstring(export_services(SEED, organisations=[offered]))
    assert schema.validate(document), schema.error_log
    broken = etree.fromstring(export_services(SEED[:1]).replace(b"<code>03</code>", b"<code></code>"))
    assert not schema.validate(broken)
