"""SAML 2.0 service provider of a municipality for the BundID (pysaml2; ADR 0076).

One service provider per municipality: entity id = its metadata URL on the municipality's host, its own
key pair (``citizens.saml_keys``), the IdP's metadata as stored on :class:`SamlIdentityProvider`.
AuthnRequests are signed and carry the AKDB ``AuthenticationRequest`` extension (requested attributes by
OID) and ``RequestedAuthnContext`` with the STORK-QAA level; responses must hold exactly one encrypted,
signed assertion for this entity id, in answer to a request of this session, seen once.
"""

from __future__ import annotations

import base64
import shutil
from dataclasses import dataclass

from defusedxml import ElementTree
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, ExtensionElement, samlp
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import AuthnResponse
from saml2.saml import AuthnContextClassRef, name_id_from_string
from saml2.sigver import SIG_RSA_SHA256

from amtsplatz.infra.cache import CacheUnavailable
from citizens import saml_keys
from citizens.models import SamlIdentityProvider
from citizens.services import metadata_fetch
from tenants.context import municipality_base_url
from tenants.db import current_municipality, current_schema

AKDB_NS = "https://www.akdb.de/request/2018/09"
ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
STORK_LEVELS = {"low": "STORK-QAA-Level-1", "substantial": "STORK-QAA-Level-3", "high": "STORK-QAA-Level-4"}
LEVEL_OF_STORK = {
    "STORK-QAA-Level-1": "low",
    "STORK-QAA-Level-2": "low",
    "STORK-QAA-Level-3": "substantial",
    "STORK-QAA-Level-4": "high",
}
BPK2 = "urn:oid:1.3.6.1.4.1.25484.494450.3"
# Semantic keys of form fields (docs/form-semantic-keys.md) ← BundID attribute OIDs.
ATTRIBUTES = {
    "person.given_name": "urn:oid:2.5.4.42",
    "person.family_name": "urn:oid:2.5.4.4",
    "person.birth_name": "urn:oid:1.2.40.0.10.2.1.1.225566",
    "person.date_of_birth": "urn:oid:1.3.6.1.5.5.7.9.1",
    "person.place_of_birth": "urn:oid:1.3.6.1.5.5.7.9.2",
    "person.nationality": "urn:oid:1.3.6.1.5.5.7.9.5",
    "address.street": "urn:oid:2.5.4.9",
    "address.postcode": "urn:oid:2.5.4.17",
    "address.city": "urn:oid:2.5.4.7",
    "address.country": "urn:oid:1.2.40.0.10.2.1.1.225599",
    "contact.email": "urn:oid:0.9.2342.19200300.100.1.3",
}
REPLAY_SECONDS = 3600


class SamlRefused(Exception):
    """A SAML message that is not a valid answer for this municipality and session."""


@dataclass(frozen=True)
class SamlLogin:
    subject: str
    level: str
    attributes: dict[str, str]
    name_id: str
    session_index: str


def provider() -> SamlIdentityProvider | None:
    return SamlIdentityProvider.objects.filter(enabled=True).first()


def _metadata_ensure(idp: SamlIdentityProvider) -> None:
    """Read the IdP's metadata on first use when it was configured without (e.g. seeded before the IdP ran)."""
    if not idp.metadata_xml:
        try:
            idp.metadata_xml = metadata_fetch(idp.metadata_url)
        except ValidationError as error:
            raise SamlRefused("the identity provider's metadata cannot be read") from error
        idp.save(update_fields=["metadata_xml"])


def urls() -> dict[str, str]:
    base = municipality_base_url(current_municipality())
    return {
        "entity_id": base + reverse("citizens:bundid-metadata"),
        "acs": base + reverse("citizens:bundid-acs"),
        "sls": base + reverse("citizens:bundid-sls"),
    }


def client(idp: SamlIdentityProvider) -> Saml2Client:
    """A pysaml2 client configured for the current municipality (built per request: config is tenant data)."""
    _metadata_ensure(idp)
    saml_keys.ensure_pair(idp, common_name=urls()["entity_id"])
    key_file, cert_file = saml_keys.key_files(idp)
    endpoints = urls()
    config = SPConfig()
    config.load(
        {
            "entityid": endpoints["entity_id"],
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": key_file,
            "cert_file": cert_file,
            "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
            "metadata": {"inline": [idp.metadata_xml]},
            "allow_unknown_attributes": True,
            "accepted_time_diff": 60,
            "service": {
                "sp": {
                    "name": current_municipality().name,
                    "endpoints": {
                        "assertion_consumer_service": [(endpoints["acs"], BINDING_HTTP_POST)],
                        "single_logout_service": [(endpoints["sls"], BINDING_HTTP_REDIRECT)],
                    },
                    "authn_requests_signed": True,
                    "logout_requests_signed": True,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": False,
                    "signing_algorithm": SIG_RSA_SHA256,
                }
            },
        }
    )
    return Saml2Client(config)


def metadata(idp: SamlIdentityProvider) -> str:
    """The service provider's metadata (signing and encryption certificate, endpoints)."""
    saml_client = client(idp)
    return bytes(create_metadata_string(None, config=saml_client.config, valid=24 * 7)).decode()


def _akdb_extension(attributes: list[str]) -> samlp.Extensions:
    requested = [
        ExtensionElement("RequestedAttribute", namespace=AKDB_NS, attributes={"Name": oid, "RequiredAttribute": "true"})
        for oid in [BPK2, *attributes]
    ]
    request = ExtensionElement(
        "AuthenticationRequest",
        namespace=AKDB_NS,
        attributes={"Version": "2"},
        children=[ExtensionElement("RequestedAttributes", namespace=AKDB_NS, children=requested)],
    )
    return samlp.Extensions(extension_elements=[request])


def authn_request(idp: SamlIdentityProvider, *, level: str, keys: list[str], relay_state: str) -> tuple[str, str]:
    """A signed AuthnRequest for ``level`` asking for the attributes of the semantic ``keys``: (request id, URL)."""
    saml_client = client(idp)
    idp_entity = next(iter(saml_client.metadata.identity_providers()))
    request_id, info = saml_client.prepare_for_authenticate(
        entityid=idp_entity,
        relay_state=relay_state,
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=SIG_RSA_SHA256,
        extensions=_akdb_extension([ATTRIBUTES[key] for key in keys if key in ATTRIBUTES]),
        requested_authn_context=samlp.RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=STORK_LEVELS.get(level, STORK_LEVELS["low"]))],
            comparison="minimum",
        ),
    )
    location = dict(info["headers"])["Location"]
    return str(request_id), str(location)


def _require_encrypted(saml_response: str) -> None:
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=True))
    except Exception as error:
        raise SamlRefused("undecodable") from error
    if root.findall(f"{{{ASSERTION_NS}}}Assertion") or len(root.findall(f"{{{ASSERTION_NS}}}EncryptedAssertion")) != 1:
        raise SamlRefused("the assertion must be encrypted")


def in_response_to(saml_response: str) -> str:
    """The request id a (not yet checked) response claims to answer; "" when there is none."""
    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=True))
    except Exception:
        return ""
    return str(root.get("InResponseTo") or "")


def _first_time(assertion_id: str) -> bool:
    try:
        return bool(cache.add(f"citizens:saml-assertion:{current_schema()}:{assertion_id}", 1, REPLAY_SECONDS))
    except CacheUnavailable:
        # Without Redis a replay cannot be told apart: the login is refused (fails closed, ADR 0073).
        raise SamlRefused("replay check unavailable (cache down)") from None


def login_response(idp: SamlIdentityProvider, saml_response: str, *, outstanding: dict[str, str]) -> SamlLogin:
    """Check a posted SAMLResponse (signature, encryption, audience, time, InResponseTo, replay)."""
    _require_encrypted(saml_response)
    try:
        response: AuthnResponse | None = client(idp).parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as error:
        raise SamlRefused(str(error)) from error
    if response is None or response.assertion is None:
        raise SamlRefused("no assertion")
    if not _first_time(str(response.assertion.id)):
        raise SamlRefused("assertion replayed")
    values: dict[str, str] = {}
    for statement in response.assertion.attribute_statement:
        for attribute in statement.attribute:
            texts = [value.text for value in attribute.attribute_value if value.text]
            if texts:
                values[str(attribute.name)] = str(texts[0])
    contexts = [str(ref) for ref, _authorities, _instant in _authn_contexts(response)]
    level = max((LEVEL_OF_STORK.get(ref, "low") for ref in contexts), key=list(STORK_LEVELS).index, default="low")
    subject = values.get(BPK2, "")
    if not subject:
        raise SamlRefused("no bPK2")
    by_key = {key: values[oid] for key, oid in ATTRIBUTES.items() if oid in values}
    name_id = response.assertion.subject.name_id
    return SamlLogin(
        subject=subject,
        level=level,
        attributes=by_key,
        name_id=name_id.to_string().decode() if name_id is not None else "",
        session_index=next(
            (
                str(statement.session_index)
                for statement in response.assertion.authn_statement
                if statement.session_index
            ),
            "",
        ),
    )


def _authn_contexts(response: AuthnResponse) -> list[tuple[str, list[str], str]]:
    found: list[tuple[str, list[str], str]] = []
    for statement in response.assertion.authn_statement:
        reference = statement.authn_context.authn_context_class_ref if statement.authn_context else None
        found.append((str(reference.text).strip() if reference is not None else "", [], str(statement.authn_instant)))
    return found


def _idp_logout_url(saml_client: Saml2Client) -> tuple[str, str]:
    idp_entity = next(iter(saml_client.metadata.identity_providers()))
    services = saml_client.metadata.single_logout_service(idp_entity, BINDING_HTTP_REDIRECT, "idpsso")
    if not services:
        raise SamlRefused("the identity provider offers no single logout")
    return idp_entity, str(services[0]["location"])


def logout_request(idp: SamlIdentityProvider, *, name_id: str, session_index: str, relay_state: str) -> str:
    """The URL of a signed LogoutRequest to the IdP for the session that logged in with ``name_id``."""
    saml_client = client(idp)
    idp_entity, destination = _idp_logout_url(saml_client)
    _request_id, request = saml_client.create_logout_request(
        destination,
        idp_entity,
        name_id=name_id_from_string(name_id),
        session_indexes=[session_index] if session_index else None,
        sign=False,  # the redirect binding signs the query string
    )
    info = saml_client.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), destination, relay_state, sign=True, sigalg=SIG_RSA_SHA256
    )
    return str(dict(info["headers"])["Location"])


def idp_logout_request(idp: SamlIdentityProvider, *, query: dict[str, str]) -> tuple[str, str]:
    """Check a LogoutRequest from the IdP (its redirect signature); returns (name id, URL of our signed answer)."""
    if not query.get("Signature") or not query.get("SigAlg"):
        raise SamlRefused("unsigned logout request")
    saml_client = client(idp)
    try:
        request = saml_client.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query["SigAlg"],
            signature=query["Signature"],
        )
    except Exception as error:
        raise SamlRefused(str(error)) from error
    if request is None:
        raise SamlRefused("invalid logout request")
    _idp_entity, destination = _idp_logout_url(saml_client)
    answer = saml_client.create_logout_response(request.message, [BINDING_HTTP_REDIRECT], sign=False)
    info = saml_client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(answer),
        destination,
        query.get("RelayState", ""),
        response=True,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return request.message.name_id.to_string().decode(), str(dict(info["headers"])["Location"])
