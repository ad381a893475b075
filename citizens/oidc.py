"""OpenID Connect relying party of a municipality (Authlib client; ID tokens checked with joserfc; ADR 0076).

Authorization code flow with PKCE (S256), ``state`` and ``nonce``; the client configuration is tenant data
(:class:`OidcProvider`), read per request. An ID token must be signed with a key of the provider's JWKS (no
``none``), come from the configured issuer, name this client as audience, carry this login's nonce and be
unexpired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from citizens.models import OidcProvider

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
CLAIMS = {
    "person.given_name": "given_name",
    "person.family_name": "family_name",
    "person.date_of_birth": "birthdate",
}
ADDRESS_CLAIMS = {
    "address.street": "street_address",
    "address.postcode": "postal_code",
    "address.city": "locality",
    "address.country": "country",
}
TIMEOUT = 10


class OidcRefused(Exception):
    """An answer of the provider that does not prove a login for this municipality and session."""


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _discovery(provider: OidcProvider) -> dict[str, Any]:
    try:
        answer = requests.get(f"{provider.issuer.rstrip('/')}/.well-known/openid-configuration", timeout=TIMEOUT)
        answer.raise_for_status()
        document: dict[str, Any] = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise OidcRefused("discovery failed") from error
    return document


def _session(provider: OidcProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret or None,
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if provider.client_secret else "none",
    )


def start(provider: OidcProvider, *, redirect_uri: str) -> Started:
    """The provider's authorization URL for a new login, with fresh state, nonce and PKCE verifier."""
    document = _discovery(provider)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _state = _session(provider, redirect_uri).create_authorization_url(
        document["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    return Started(url=str(url), state=state, nonce=nonce, code_verifier=verifier)


def id_token_claims(provider: OidcProvider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """The claims of an ID token after checking signature, issuer, audience, expiry and nonce."""
    document = _discovery(provider)
    try:
        keys = KeySet.import_key_set(requests.get(document["jwks_uri"], timeout=TIMEOUT).json())
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        JWTClaimsRegistry(
            iss={"essential": True, "value": document["issuer"]},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, requests.RequestException, ValueError, KeyError) as error:
        raise OidcRefused(str(error)) from error
    if document["issuer"].rstrip("/") != provider.issuer.rstrip("/"):
        raise OidcRefused("the discovery document names another issuer")
    return dict(token.claims)


def finish(provider: OidcProvider, *, code: str, redirect_uri: str, nonce: str, code_verifier: str) -> dict[str, Any]:
    """Exchange the code (with the PKCE verifier) and return the checked ID token's claims."""
    document = _discovery(provider)
    try:
        token = _session(provider, redirect_uri).fetch_token(
            document["token_endpoint"], code=code, code_verifier=code_verifier
        )
    except Exception as error:
        raise OidcRefused(str(error)) from error
    if not token.get("id_token"):
        raise OidcRefused("no ID token")
    return id_token_claims(provider, str(token["id_token"]), nonce=nonce)


def attributes(claims: dict[str, Any]) -> dict[str, str]:
    """Semantic keys (docs/form-semantic-keys.md) from standard claims; e-mail only when verified."""
    found = {key: str(claims[claim]) for key, claim in CLAIMS.items() if claims.get(claim)}
    address = claims.get("address")
    if isinstance(address, dict):
        found.update({key: str(address[claim]) for key, claim in ADDRESS_CLAIMS.items() if address.get(claim)})
    if claims.get("email") and claims.get("email_verified") is True:
        found["contact.email"] = str(claims["email"])
    return found
