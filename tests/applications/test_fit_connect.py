"""FIT-Connect-shaped hand-over: metadata valid against FITKO's schema; JWE to the office's key when it asks."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django_tenants.utils import schema_context
from jwcrypto import jwe, jwk

from applications.fit_connect.encryption import UnusableKey, public_key
from applications.fit_connect.metadata import MetadataInvalid, data_bytes, validate
from applications.models import Handover, ServiceDesk
from tests.applications.conftest import file_dog, offer


class _Office(BaseHTTPRequestHandler):
    """A receiving office: publishes its public key on GET, keeps what is POSTed."""

    published: dict[str, Any] | None = None
    received: list[bytes] = []

    def do_GET(self) -> None:
        if self.published is None:
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps(self.published).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/jwk+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        type(self).received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def office() -> Iterator[str]:
    _Office.published, _Office.received = None, []
    server = HTTPServer(("127.0.0.1", 0), _Office)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/fit-connect"
    server.shutdown()


def _file(url: str, django_capture_on_commit_callbacks: Any) -> Handover:
    local = offer("gera", "hundesteuer-anmeldung")
    with schema_context("gera"):
        ServiceDesk.objects.update_or_create(
            service=local, defaults={"handover_url": url, "handover_secret": "geheim", "handover_on": "submission"}
        )
        with django_capture_on_commit_callbacks(execute=True):
            application = file_dog()
        return Handover.objects.select_related("application").get(application=application)


@pytest.mark.django_db
def test_submission_is_encrypted_to_the_key_the_office_publishes(
    gera: Any, office: str, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    private = jwk.JWK.generate(kty="RSA", size=2048, kid="gera-fachverfahren", use="enc", alg="RSA-OAEP-256")
    _Office.published = json.loads(private.export_public())
    handover = _file(office, django_capture_on_commit_callbacks)
    assert handover.status == Handover.State.DELIVERED, handover.last_error
    body = json.loads(_Office.received[-1])
    assert set(body) == {"encryptedMetadata", "encryptedData", "amtsplatz"}
    assert "Bello" not in _Office.received[-1].decode()  # nothing of the data travels in clear text

    def decrypt(token: str) -> bytes:
        message = jwe.JWE()
        message.deserialize(token, key=private)
        assert message.jose_header["alg"] == "RSA-OAEP-256" and message.jose_header["enc"] == "A256GCM"
        assert message.jose_header["kid"] == "gera-fachverfahren"
        return bytes(message.payload)

    metadata = json.loads(decrypt(body["encryptedMetadata"]))
    data = decrypt(body["encryptedData"])
    validate(metadata)
    assert metadata["contentStructure"]["data"]["hash"]["content"] == hashlib.sha512(data).hexdigest()
    assert json.loads(data)["hundename"] == "Bello"
    assert metadata["additionalReferenceInfo"]["senderReference"] == handover.application.reference


@pytest.mark.django_db
def test_an_unusable_published_key_stops_the_delivery_instead_of_sending_clear_text(
    gera: Any, office: str, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    _Office.published = json.loads(jwk.JWK.generate(kty="RSA", size=2048).export_private())
    handover = _file(office, django_capture_on_commit_callbacks)
    assert handover.status == Handover.State.PENDING
    assert "public RSA key" in handover.last_error
    assert _Office.received == []


@pytest.mark.django_db
def test_an_office_without_a_key_gets_signed_plain_json_with_valid_metadata(
    gera: Any, office: str, tasks_inline: None, django_capture_on_commit_callbacks: Any
) -> None:
    handover = _file(office, django_capture_on_commit_callbacks)
    assert handover.status == Handover.State.DELIVERED
    document = json.loads(_Office.received[-1])
    validate(document["metadata"])
    expected = hashlib.sha512(data_bytes(document["data"])).hexdigest()
    assert document["metadata"]["contentStructure"]["data"]["hash"]["content"] == expected


def test_schema_violations_name_their_place() -> None:
    broken = {"contentStructure": {"attachments": [{"purpose": "selfie"}]}}
    with pytest.raises(MetadataInvalid, match="contentStructure/attachments/0"):
        validate(broken)


@pytest.mark.parametrize(
    "document",
    [
        {"kty": "oct", "k": "c2VjcmV0"},
        {"kty": "RSA", "use": "sig", "n": "AQAB", "e": "AQAB"},
        json.loads(jwk.JWK.generate(kty="RSA", size=1024).export_public()),
    ],
    ids=["symmetric", "signing-key", "too-short"],
)
def test_keys_we_must_not_encrypt_to_are_refused(document: dict[str, Any]) -> None:
    with pytest.raises(UnusableKey):
        public_key(document)
