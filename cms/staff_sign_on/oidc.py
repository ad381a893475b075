"""The OpenID Connect code flow with PKCE, state and nonce, done by Authlib (ADR 0079).

Authlib builds the authorisation request and exchanges the code; the ID token's signature is checked
against the provider's published keys and its claims (issuer, audience, expiry, nonce, at_hash) by
Authlib's ``CodeIDToken``. Nothing here parses or verifies a token by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from cms.staff_sign_on.models import StaffSignOn

TIMEOUT_SECONDS = 10
LEEWAY_SECONDS = 30
SCOPE = "openid email profile"


class SignOnFailed(Exception):
    """The provider's answer does not prove who is logging in."""


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


def _metadata(config: StaffSignOn) -> dict[str, Any]:
    response = requests.get(config.discovery_url, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    metadata: dict[str, Any] = response.json()
    return metadata


def _session(config: StaffSignOn, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def start(config: StaffSignOn, *, redirect_uri: str) -> Started:
    """The provider's authorisation URL for a new login, with fresh state, nonce and PKCE verifier."""
    metadata = _metadata(config)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _state = _session(config, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    return Started(url=url, state=state, nonce=nonce, code_verifier=verifier)


def finish(config: StaffSignOn, *, redirect_uri: str, code: str, nonce: str, code_verifier: str) -> dict[str, Any]:
    """Exchange ``code`` and return the ID token's validated claims (plus the issuer checked)."""
    metadata = _metadata(config)
    try:
        token = _session(config, redirect_uri).fetch_token(
            metadata["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=code_verifier
        )
    except Exception as error:  # Authlib raises OAuthError, requests its own: the provider refused the code
        raise SignOnFailed(str(error)) from error
    if "id_token" not in token:
        raise SignOnFailed("no id_token")
    return validated_claims(config, metadata=metadata, id_token=token["id_token"], nonce=nonce, token=token)


def validated_claims(
    config: StaffSignOn, *, metadata: dict[str, Any], id_token: str, nonce: str, token: dict[str, Any]
) -> dict[str, Any]:
    """The claims of ``id_token`` after Authlib checked signature, issuer, audience, expiry and nonce."""
    keys = requests.get(metadata["jwks_uri"], timeout=TIMEOUT_SECONDS)
    keys.raise_for_status()
    try:
        decoded = jwt.decode(
            id_token,
            key=KeySet.import_key_set(keys.json()),
            registry=JWSRegistry(algorithms=metadata.get("id_token_signing_alg_values_supported")),
        )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "values": [metadata["issuer"]]},
                "aud": {"essential": True, "values": [config.client_id]},
            },
            {"nonce": nonce, "client_id": config.client_id, "access_token": token.get("access_token")},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except Exception as error:  # joserfc and Authlib raise many kinds; every one means "not proven"
        raise SignOnFailed(str(error)) from error
    return dict(claims)
