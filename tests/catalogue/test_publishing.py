"""Publishing creates numbered, immutable versions; adoption follows latest or a pin."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from services_catalog.local.models import LocalService
from services_catalog.local.selectors import offered_service, offered_services
from services_catalog.local.services import local_service_update, service_adopt
from services_catalog.models import ServiceVersion
from services_catalog.services import definition_save_draft, service_publish
from tenants.models import Municipality
from tests.catalogue.factories import published_service, service_document

pytestmark = pytest.mark.django_db


def test_publish_numbers_versions_and_refuses_empty_publish() -> None:
    definition = published_service()
    assert definition.latest_version is not None
    assert definition.latest_version.number == 1
    with pytest.raises(ValidationError):
        service_publish(definition=definition)
    document = service_document(name={"de": "Bewohnerparkausweis", "en": "Resident parking permit"})
    definition_save_draft(document=document, definition=definition)
    version = service_publish(definition=definition)
    assert version.number == 2
    assert list(definition.versions.values_list("number", flat=True)) == [2, 1]
    assert ServiceVersion.objects.get(definition=definition, number=1).name_de == "Testparkausweis"


def test_published_versions_cannot_change_through_orm_or_sql() -> None:
    version = published_service().latest_version
    assert version is not None
    version.name_de = "Geändert"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE services_catalog_serviceversion SET name_de = 'x' WHERE id = %s", [version.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM services_catalog_serviceversion WHERE id = %s", [version.pk])
    assert ServiceVersion.objects.get(pk=version.pk).name_de == "Testparkausweis"


def test_latest_follows_publishing_and_pin_stays(gera: Municipality, wurzen: Municipality) -> None:
    definition = published_service()
    first = definition.latest_version
    with schema_context("gera"):
        service_adopt(definition=definition)
    with schema_context("wurzen"):
        service_adopt(definition=definition, pinned_version=first)

    document = service_document(name={"de": "Bewohnerparkausweis (neu)", "en": ""})
    definition_save_draft(document=document, definition=definition)
    service_publish(definition=definition)

    with schema_context("gera"):
        merged = offered_service("testparken")
        assert merged is not None
        assert (merged.version.number, merged.name, merged.newer_version_available) == (
            2,
            "Bewohnerparkausweis (neu)",
            False,
        )
    with schema_context("wurzen"):
        merged = offered_service("testparken")
        assert merged is not None
        assert (merged.version.number, merged.name, merged.newer_version_available) == (
            1,
            "Testparkausweis",
            True,
        )


def test_local_override_shows_on_gera_only(gera: Municipality, wurzen: Municipality) -> None:
    definition = published_service()
    with schema_context("gera"):
        service_adopt(
            definition=definition,
            fee_amount="25.00",
            office_name="Bürgeramt Gera",
            opening_hours="Mo–Fr 8–12 Uhr",
            local_note_de="Bitte Fahrzeugschein mitbringen.",
        )
    with schema_context("wurzen"):
        service_adopt(definition=definition)
    with schema_context("gera"):
        gera_view = offered_service("testparken")
    with schema_context("wurzen"):
        wurzen_view = offered_service("testparken")
    assert gera_view is not None and wurzen_view is not None
    assert (str(gera_view.fixed_fee), gera_view.office.name) == ("25.00", "Bürgeramt Gera")
    assert (str(wurzen_view.fixed_fee), wurzen_view.office.name, wurzen_view.local_note) == ("30.70", "", "")


def test_only_named_fields_can_be_overridden_and_pins_must_match(gera: Municipality) -> None:
    definition = published_service()
    other = published_service("anderer-dienst")
    with schema_context("gera"):
        local = service_adopt(definition=definition)
        with pytest.raises(ValidationError):
            local_service_update(local=local, name_de="Eigener Name")
        with pytest.raises(ValidationError):
            local_service_update(local=local, pinned_version=other.latest_version)
        local.refresh_from_db()
        assert local.pinned_version_id is None


def test_disabled_services_are_not_offered(gera: Municipality) -> None:
    definition = published_service()
    with schema_context("gera"):
        service_adopt(definition=definition, enabled=False)
        assert offered_services() == []
        assert offered_service("testparken") is None
        assert LocalService.objects.count() == 1
