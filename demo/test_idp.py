"""A TEST SAML identity provider (pysaml2's IdP) standing in for the BundID in the demo and the tests.

Not a BundID: no ID card is read. The visitor picks a test person and the trust level; the answer is a
real SAML response (signed assertion, encrypted for the service provider) to the service provider's
assertion consumer. Service providers are loaded from their metadata: posted to ``/register`` (tests), or
read from the issuer URL of an AuthnRequest when that URL is on this machine (demo portals).
For the tests, ``fault`` makes deliberately bad answers: ``unsigned``, ``expired``, ``audience``.

Run: ``python -m demo.test_idp --port 8090``; its metadata is ``http://127.0.0.1:8090/metadata``.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import html
import shutil
import tempfile
import urllib.request
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.sigver import SIG_RSA_SHA256

PERSONS: dict[str, dict[str, str]] = {
    "erika": {
        "urn:oid:1.3.6.1.4.1.25484.494450.3": "test-bpk2-erika-mustermann",
        "urn:oid:2.5.4.42": "Erika",
        "urn:oid:2.5.4.4": "Mustermann",
        "urn:oid:1.3.6.1.5.5.7.9.1": "1964-08-12",
        "urn:oid:1.3.6.1.5.5.7.9.2": "Berlin",
        "urn:oid:1.3.6.1.5.5.7.9.5": "D",
        "urn:oid:2.5.4.9": "Heidestraße 17",
        "urn:oid:2.5.4.17": "07545",
        "urn:oid:2.5.4.7": "Gera",
        "urn:oid:0.9.2342.19200300.100.1.3": "erika.mustermann@example.org",
    },
    "ludwig": {
        "urn:oid:1.3.6.1.4.1.25484.494450.3": "test-bpk2-ludwig-beispiel",
        "urn:oid:2.5.4.42": "Ludwig",
        "urn:oid:2.5.4.4": "Beispiel",
        "urn:oid:1.3.6.1.5.5.7.9.1": "1990-01-31",
        "urn:oid:1.3.6.1.5.5.7.9.5": "D",
        "urn:oid:2.5.4.9": "Markt 1",
        "urn:oid:2.5.4.17": "04808",
        "urn:oid:2.5.4.7": "Wurzen",
    },
}
LEVELS = ["STORK-QAA-Level-1", "STORK-QAA-Level-3", "STORK-QAA-Level-4"]
AKDB_NS = "https://www.akdb.de/request/2018/09"
ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
LOCAL_HOSTS = ("127.0.0.1", "localhost")

Respond = Callable[[str, list[tuple[str, str]]], Any]


def _key_pair(folder: Path) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Amtsplatz TEST IdP")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256())
    )  # fmt: skip
    key_path, cert_path = folder / "idp.key", folder / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


class TestIdentityProvider:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        folder = Path(tempfile.mkdtemp(prefix="amtsplatz-test-idp-"))
        key_file, cert_file = _key_pair(folder)
        self.servers = {lifetime: self._server(key_file, cert_file, lifetime) for lifetime in ("normal", "expired")}
        self.known: dict[str, int] = {}  # entity id → key of its metadata in each server's store
        self.register(_elsewhere_metadata(key_file, cert_file))

    def _server(self, key_file: str, cert_file: str, lifetime: str) -> Server:
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{self.base}/metadata",
                "xmlsec_binary": shutil.which("xmlsec1"),
                "key_file": key_file,
                "cert_file": cert_file,
                "metadata": {},
                "service": {
                    "idp": {
                        "name": "Amtsplatz TEST IdP (not BundID)",
                        "endpoints": {
                            "single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(f"{self.base}/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "want_authn_requests_signed": True,
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5 if lifetime == "normal" else -10},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
            }
        )
        return Server(config=config)

    @property
    def server(self) -> Server:
        return self.servers["normal"]

    def register(self, metadata_xml: str) -> str:
        root = ElementTree.fromstring(metadata_xml)
        entity_id = str(root.get("entityID"))
        for server in self.servers.values():  # a new key pair of a known provider replaces the old metadata
            server.metadata.metadata.pop(self.known.get(entity_id, -1), None)
            server.metadata.load("inline", metadata_xml)
            self.known[entity_id] = server.metadata.ii
        return entity_id

    def _ensure_known(self, saml_request: str) -> None:
        xml = zlib.decompress(base64.b64decode(saml_request), -15)
        issuer = ElementTree.fromstring(xml).findtext(f"{{{ASSERTION_NS}}}Issuer") or ""
        if issuer in self.known:
            return
        parts = urlsplit(issuer)
        host = parts.hostname or ""
        if parts.scheme != "http" or not (host in LOCAL_HOSTS or host.endswith(".localhost")):
            raise ValueError("unknown service provider")
        local = issuer.replace(f"//{parts.netloc}", f"//127.0.0.1:{parts.port or 80}", 1)
        request = urllib.request.Request(local, headers={"Host": parts.netloc})  # noqa: S310 (http, checked above)
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (a local http URL, checked above)
            self.register(answer.read().decode())

    # --- WSGI -------------------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], respond: Respond) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        try:
            if path == "/metadata":
                body = create_metadata_string(None, config=self.server.config, valid=24).decode()
                return self._send(respond, "200 OK", body, "application/samlmetadata+xml")
            if path == "/register" and environ["REQUEST_METHOD"] == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                return self._send(respond, "200 OK", self.register(environ["wsgi.input"].read(length).decode()))
            if path == "/healthz":
                return self._send(respond, "200 OK", "ok")
            if path == "/sso" and environ["REQUEST_METHOD"] == "GET":
                return self._choose(respond, _query(environ))
            if path == "/sso" and environ["REQUEST_METHOD"] == "POST":
                return self._answer(respond, _form(environ))
            if path == "/slo":
                return self._logout(respond, _query(environ))
        except Exception as error:
            return self._send(respond, "400 Bad Request", f"Refused: {html.escape(str(error))}")
        return self._send(respond, "404 Not Found", "not found")

    def _parse(self, fields: dict[str, str]) -> Any:
        self._ensure_known(fields["SAMLRequest"])
        return self.server.parse_authn_request(
            fields["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=fields.get("RelayState"),
            sigalg=fields.get("SigAlg"),
            signature=fields.get("Signature"),
        )

    def _choose(self, respond: Respond, query: dict[str, str]) -> Iterable[bytes]:
        request = self._parse(query)
        requested = _requested_attributes(request.xmlstr)
        level = request.message.requested_authn_context.authn_context_class_ref[0].text
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items()
        )
        persons = "".join(
            f'<p><label><input type="radio" name="person" value="{key}"{" checked" if i == 0 else ""}> '
            f"{html.escape(values['urn:oid:2.5.4.42'])} {html.escape(values['urn:oid:2.5.4.4'])}</label></p>"
            for i, (key, values) in enumerate(PERSONS.items())
        )
        levels = "".join(
            f'<option value="{name}"{" selected" if name == level else ""}>{name}</option>' for name in LEVELS
        )
        body = (
            '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>TEST-IdP – keine echte BundID</title>'
            "</head><body><main><h1>TEST-Identitätsprovider – keine echte BundID</h1>"
            "<p>Nur für Demo und Tests: Es wird kein Ausweis gelesen.</p>"
            f"<p>Angefragt: {html.escape(level)}; Attribute: {html.escape(', '.join(requested))}</p>"
            f'<form method="post" action="{self.base}/sso">{hidden}<fieldset><legend>Testperson</legend>{persons}'
            f'</fieldset><p><label>Vertrauensniveau <select name="level">{levels}</select></label></p>'
            '<button type="submit">Anmelden (Test)</button></form></main></body></html>'
        )
        return self._send(respond, "200 OK", body)

    def _answer(self, respond: Respond, form: dict[str, str]) -> Iterable[bytes]:
        request = self._parse(form)
        sp_entity = request.message.issuer.text
        fault = form.get("fault", "")
        person = PERSONS[form.get("person", "erika")]
        level = form.get("level") if form.get("level") in LEVELS else LEVELS[1]
        wanted = set(_requested_attributes(request.xmlstr))
        identity = {oid: [value] for oid, value in person.items() if oid in wanted}
        destination = request.message.assertion_consumer_service_url
        server = self.servers["expired" if fault == "expired" else "normal"]
        cert = server.metadata.certs(sp_entity, "spsso", "encryption")[0][1]
        response = server.create_authn_response(
            identity,
            in_response_to=request.message.id,
            destination=destination,
            sp_entity_id=ELSEWHERE if fault == "audience" else sp_entity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person["urn:oid:1.3.6.1.4.1.25484.494450.3"]),
            authn={"class_ref": level, "authn_auth": f"{self.base}/metadata"},
            sign_assertion=fault != "unsigned",
            sign_response=False,
            encrypt_assertion=True,
            encrypt_cert_assertion=cert,
        )
        encoded = base64.b64encode(str(response).encode()).decode()
        relay = html.escape(form.get("RelayState", ""))
        body = (
            '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>TEST-IdP – weiter</title></head>'
            f'<body onload="document.forms[0].submit()"><main><form method="post" action="{html.escape(destination)}">'
            f'<input type="hidden" name="SAMLResponse" value="{encoded}"><input type="hidden" name="RelayState" '
            f'value="{relay}"><button type="submit">Weiter</button></form></main></body></html>'
        )
        return self._send(respond, "200 OK", body)

    def _logout(self, respond: Respond, query: dict[str, str]) -> Iterable[bytes]:
        request = self.server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        answer = self.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT], sign=False)
        destination = self.server.metadata.single_logout_service(
            request.message.issuer.text, BINDING_HTTP_REDIRECT, "spsso"
        )[0]["location"]
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT, str(answer), destination, query.get("RelayState", ""), response=True,
            sign=True, sigalg=SIG_RSA_SHA256,
        )  # fmt: skip
        respond("302 Found", [("Location", dict(info["headers"])["Location"])])
        return [b""]

    @staticmethod
    def _send(respond: Respond, status: str, body: str, content_type: str = "text/html") -> Iterable[bytes]:
        respond(status, [("Content-Type", f"{content_type}; charset=utf-8")])
        return [body.encode()]


ELSEWHERE = "http://elsewhere.localhost/metadata.xml"


def _elsewhere_metadata(key_file: str, cert_file: str) -> str:
    """A service provider that is not the one asking: the audience of the ``audience`` fault."""
    config = SPConfig()
    config.load(
        {
            "entityid": ELSEWHERE,
            "key_file": key_file,
            "cert_file": cert_file,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "service": {"sp": {"endpoints": {"assertion_consumer_service": [(ELSEWHERE, BINDING_HTTP_POST)]}}},
        }
    )
    return bytes(create_metadata_string(None, config=config, valid=24)).decode()


def _requested_attributes(xml: str) -> list[str]:
    root = ElementTree.fromstring(xml)
    return [str(element.get("Name")) for element in root.iter(f"{{{AKDB_NS}}}RequestedAttribute")]


def _query(environ: dict[str, Any]) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}


def _form(environ: dict[str, Any]) -> dict[str, str]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length).decode()
    return {key: values[0] for key, values in parse_qs(body).items()}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    parser = argparse.ArgumentParser(description="TEST SAML identity provider (not BundID)")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--base", default="")
    args = parser.parse_args()
    base = args.base or f"http://127.0.0.1:{args.port}"
    server = make_server("127.0.0.1", args.port, TestIdentityProvider(base), server_class=_ThreadingServer)
    print(f"TEST SAML IdP (not BundID) at {base}/metadata", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
