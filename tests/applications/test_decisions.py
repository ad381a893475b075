"""A caseworker's decision is one transaction under a row lock; its PDF is rendered once, after commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from applications import services
from applications.handover import payload
from applications.models import Application, StatusChange
from applications.states import Status
from tests.applications.conftest import caseworker, file_dog, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(gera: Any) -> Application:
    offer("gera", "hundesteuer-anmeldung")
    with schema_context("gera"):
        application = file_dog()  # the automatic decision is queued on commit, which never comes here
        assert application.status == Status.IN_REVIEW
        return application


def _decisions(application: Application) -> int:
    return StatusChange.objects.filter(
        application=application, to_status__in=[Status.APPROVED, Status.REJECTED]
    ).count()


def test_two_caseworkers_deciding_at_once_give_one_decision(
    in_review: Application, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context("gera"):
        # Both caseworkers loaded the application while it was in review.
        first_view, second_view = in_review, Application.objects.get(pk=in_review.pk)
        staff = caseworker("gera", "zweite", None, see_all=True)
        with django_capture_on_commit_callbacks(execute=True):
            services.decide_application(first_view, approve=False, reasons="Unterlagen fehlen.", actor=staff)
        with pytest.raises(ValidationError):
            services.decide_application(second_view, approve=False, reasons="Doppelt.", actor=staff)
        decided = Application.objects.get(pk=in_review.pk)
        assert _decisions(decided) == 1 and decided.decision_reasons == "Unterlagen fehlen."
        assert str(decided.decision_document.name).endswith(".pdf")


def test_a_crash_mid_decision_leaves_neither_status_nor_document(
    in_review: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(application: Application, event: str) -> None:
        raise RuntimeError("worker died")

    monkeypatch.setattr("applications.services.decisions.handover_queue", crash)
    staff = caseworker("gera", "erste", None, see_all=True)
    with schema_context("gera"):
        with pytest.raises(RuntimeError):
            services.decide_application(in_review, approve=False, reasons="Abgelehnt.", actor=staff)
        after = Application.objects.get(pk=in_review.pk)
        assert after.status == Status.IN_REVIEW and after.decided_at is None and not after.decision_document
        assert _decisions(after) == 0


def test_the_document_is_rendered_after_commit_and_only_once(
    in_review: Application, django_capture_on_commit_callbacks: Any
) -> None:
    staff = caseworker("gera", "erste", None, see_all=True)
    with schema_context("gera"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.decide_application(in_review, approve=False, reasons="Abgelehnt.", actor=staff)
        assert not Application.objects.get(pk=in_review.pk).decision_document  # not inside the transaction
        assert callbacks
        assert services.decision_document_render(in_review.pk) is True
        name = Application.objects.get(pk=in_review.pk).decision_document.name
        assert services.decision_document_render(in_review.pk) is False  # a repeated task changes nothing
        assert Application.objects.get(pk=in_review.pk).decision_document.name == name


def test_the_hand_over_names_the_municipality_by_its_official_key(in_review: Application) -> None:
    with schema_context("gera"):
        ours = payload(Application.objects.get(pk=in_review.pk))["amtsplatz"]
    assert ours["municipality"] == {"ags": "16052000", "name": "Stadt Gera"}
