"""Filing in one statement: reference numbers, stored rows and history, and nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from applications import services
from applications.models import Application, ReferenceCounter, StatusChange
from services_catalog.local.models import LocalService
from tests.applications.conftest import PERSON

pytestmark = pytest.mark.django_db
VEHICLE = {"hauptwohnsitz": True, "kennzeichen": "G-AB 123", "gesamtmasse": 1500, "halter": True}


def _file(service: LocalService, key: str = "") -> Application:
    return _file_with_history(service, key)[0]


def _file_with_history(service: LocalService, key: str = "") -> tuple[Application, list[StatusChange]]:
    with transaction.atomic():  # as the API: the key's conflict rolls back this transaction only
        return services.application_file(
            service=service, email="erika@example.org", data={**PERSON, **VEHICLE}, language="de", idempotency_key=key
        )


def test_filed_applications_are_numbered_in_sequence_and_stored_whole(
    gera_parking: LocalService, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    with schema_context("gera"), django_capture_on_commit_callbacks(execute=False):
        first, (second, second_history) = _file(gera_parking), _file_with_history(gera_parking)
        assert (first.reference, second.reference) == (f"GER-{year}-000001", f"GER-{year}-000002")
        stored = Application.objects.get(pk=second.pk)
        assert (stored.reference, stored.status, stored.service_id) == (second.reference, "awaiting_payment",
                                                                      gera_parking.pk)  # fmt: skip
        assert stored.data["kennzeichen"] == "G-AB 123" and stored.fee == second.fee > 0
        assert stored.created is not None and stored.submitted_at == second.submitted_at
        history = list(stored.history.order_by("pk").values_list("from_status", "to_status"))
        assert history == [("draft", "submitted"), ("submitted", "awaiting_payment")]
        assert [change.pk for change in second_history] == list(
            stored.history.order_by("pk").values_list("pk", flat=True)
        )


def test_numbers_grow_past_six_digits(gera_parking: LocalService, django_capture_on_commit_callbacks: Any) -> None:
    year = timezone.localdate().year
    with schema_context("gera"), django_capture_on_commit_callbacks(execute=False):
        ReferenceCounter.objects.create(prefix="GER", year=year, last=999_999)
        assert _file(gera_parking).reference == f"GER-{year}-1000000"


def test_a_replayed_key_stores_nothing_and_uses_no_number(
    gera_parking: LocalService, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    with schema_context("gera"), django_capture_on_commit_callbacks(execute=False):
        first = _file(gera_parking, key="same")
        with pytest.raises(IntegrityError):
            _file(gera_parking, key="same")
        assert Application.objects.count() == 1 and first.history.count() == 2
        assert ReferenceCounter.objects.get(prefix="GER", year=year).last == 1
        assert _file(gera_parking, key="next").reference == f"GER-{year}-000002"


def test_the_web_draft_and_the_api_are_filed_by_the_same_path(
    gera_parking: LocalService, django_capture_on_commit_callbacks: Any
) -> None:
    """A stored draft submitted from the web form and a one-go API filing end as the same rows."""
    with schema_context("gera"), django_capture_on_commit_callbacks(execute=False):
        draft = services.draft_start(service=gera_parking, email="erika@example.org")
        draft.data = {**PERSON, **VEHICLE}
        draft.save()
        from_web = Application.objects.get(pk=services.application_submit(draft).pk)
        from_api = Application.objects.get(pk=_file(gera_parking).pk)
        fields = ("status", "fee", "applicant_name", "data", "version_id", "language")
        assert [getattr(from_web, name) for name in fields] == [getattr(from_api, name) for name in fields]
        assert list(from_web.history.order_by("pk").values_list("from_status", "to_status")) == list(
            from_api.history.order_by("pk").values_list("from_status", "to_status")
        )


def test_answers_the_schema_refuses_store_nothing_in_either_path(
    gera_parking: LocalService, django_capture_on_commit_callbacks: Any
) -> None:
    incomplete = {**PERSON, **VEHICLE, "kennzeichen": ""}
    with schema_context("gera"), django_capture_on_commit_callbacks(execute=False):
        with pytest.raises(services.ApplicationIncomplete) as refused, transaction.atomic():
            services.application_file(service=gera_parking, email="erika@example.org", data=incomplete, language="de")
        assert "kennzeichen" in refused.value.field_errors
        draft = services.draft_start(service=gera_parking, email="erika@example.org")
        draft.data = incomplete
        draft.save()
        with pytest.raises(services.ApplicationIncomplete):
            services.application_submit(draft)
        assert list(Application.objects.values_list("status", flat=True)) == ["draft"]
        assert not StatusChange.objects.exists() and not ReferenceCounter.objects.exists()
