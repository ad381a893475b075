"""Background work: a broker outage loses nothing, hand-over is signed and retried, retention anonymises."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from celery.exceptions import Retry
from django.utils import timezone
from django_tenants.utils import schema_context

from amtsplatz.celery import app as celery_app
from applications.fit_connect.metadata import data_bytes
from applications.fit_connect.metadata import validate as validate_metadata
from applications.models import Application, Handover, ServiceDesk
from applications.states import Status
from applications.tasks import deliver_handover, purge_expired, sweep
from tests.applications.conftest import file_dog, offer
from tests.conftest import free_port

pytestmark = pytest.mark.django_db


def _use_broker(url: str) -> None:
    """Make the producer connect to ``url`` from now on (drops pooled connections)."""
    celery_app.conf.broker_url = url
    celery_app._pool = None  # the old pool stays open for whoever still holds it; new work gets new ones
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Point the producer at a port where no broker listens."""
    previous = celery_app.conf.broker_url
    _use_broker(f"redis://127.0.0.1:{free_port()}/0")
    yield
    _use_broker(previous)


def test_broker_down_at_submit_stores_the_application_and_the_sweeper_decides_later(
    gera: Any, broker_down: None, django_capture_on_commit_callbacks: Any
) -> None:
    offer("gera", "hundesteuer-anmeldung")
    with schema_context("gera"):
        with django_capture_on_commit_callbacks(execute=True):
            application = file_dog()
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW and not application.auto_decision_done
        Application.objects.filter(pk=application.pk).update(updated=timezone.now() - timedelta(minutes=5))
    celery_app.conf.task_always_eager = True  # the broker is back; the task runs in this process
    try:
        with schema_context("gera"), django_capture_on_commit_callbacks(execute=True):
            assert sweep.apply().get() == 1
        with schema_context("gera"):  # the decision document is rendered after the decision's commit
            application.refresh_from_db()
    finally:
        celery_app.conf.task_always_eager = False
    assert application.status == Status.APPROVED
    assert application.decision_document


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    answers: list[int] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answers.pop(0) if type(self).answers else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def back_office() -> Iterator[str]:
    _Receiver.received, _Receiver.answers = [], [503, 503]
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/eingang"
    server.shutdown()


def test_handover_is_signed_fit_connect_shaped_and_retried(
    gera: Any, back_office: str, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    local = offer("gera", "hundesteuer-anmeldung")
    with schema_context("gera"):
        ServiceDesk.objects.update_or_create(
            service=local,
            defaults={"handover_url": back_office, "handover_secret": "geheim", "handover_on": "submission"},
        )
        with django_capture_on_commit_callbacks(execute=True):
            application = file_dog()
        handover = Handover.objects.get(application=application)
        assert handover.status == Handover.State.PENDING and handover.attempts == 1
        assert handover.last_error.startswith("HTTP 503")  # shown to the municipality on the application
        with pytest.raises(Retry) as retry:
            deliver_handover.apply(args=[handover.pk], throw=True, retries=1)
        assert retry.value.when == 60  # exponential backoff: 30 s, 60 s, 120 s, …
        _Receiver.answers = [200]
        deliver_handover.apply(args=[handover.pk], retries=2)
        handover.refresh_from_db()
    assert handover.status == Handover.State.DELIVERED and handover.attempts == 3
    headers, body = _Receiver.received[-1]
    expected = "sha256=" + hmac.new(b"geheim", body, hashlib.sha256).hexdigest()
    assert headers["X-Amtsplatz-Signature"] == expected
    document = json.loads(body)
    assert document["amtsplatz"]["reference"] == application.reference
    validate_metadata(document["metadata"])  # FITKO's published metadata schema, kept in the repository
    content = document["metadata"]["contentStructure"]["data"]
    assert content["submissionSchema"]["schemaUri"].startswith("urn:amtsplatz:service:hundesteuer-anmeldung:v")
    assert content["hash"] == {"type": "sha512", "content": hashlib.sha512(data_bytes(document["data"])).hexdigest()}
    assert document["metadata"]["additionalReferenceInfo"]["senderReference"] == application.reference
    assert document["data"]["hundename"] == "Bello"


def test_retention_anonymises_closed_applications_after_the_period(
    gera: Any, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    offer("gera", "hundesteuer-anmeldung")
    with schema_context("gera"):
        with django_capture_on_commit_callbacks(execute=True):
            old = file_dog("alt@example.org")
            fresh = file_dog("neu@example.org")
        old.refresh_from_db()
        assert old.status == Status.APPROVED and old.decision_document
        document = str(old.decision_document.name)
        storage = old.decision_document.storage
        retention = old.version.retention_days
        Application.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=retention + 1))
        assert purge_expired.apply().get() == 1
        old.refresh_from_db()
        fresh.refresh_from_db()
        assert old.anonymised_at and old.data == {} and old.facts == {} and old.applicant_email == "anonymised@invalid"
        assert not storage.exists(document)
        assert fresh.anonymised_at is None and fresh.data["hundename"] == "Bello"
        assert old.history.count() > 0  # the record of what happened stays, without personal data
