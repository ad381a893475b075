"""JWE encryption to a receiving office's public key, as FIT-Connect does it (RSA-OAEP-256 + A256GCM).

The endpoint asks for encryption by publishing its key: a GET on the hand-over URL with
``Accept: application/jwk+json`` answers with a public RSA JWK (``use`` ``enc``, ``alg``
``RSA-OAEP-256``). Anything else means "send signed plain JSON" (the behaviour before).
"""

from __future__ import annotations

import json
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto import jwe, jwk

ALGORITHM = "RSA-OAEP-256"
ENCRYPTION = "A256GCM"
MIN_RSA_BITS = 2048


class UnusableKey(ValueError):
    """The endpoint published a key we must not encrypt to (wrong type, use, algorithm or size)."""


def endpoint_key(url: str, *, timeout: float = 10) -> jwk.JWK | None:
    """The public encryption key the endpoint publishes, or None when it publishes none."""
    try:
        response = requests.get(url, headers={"Accept": "application/jwk+json"}, timeout=timeout)
    except requests.RequestException:
        return None
    if response.status_code != 200 or "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        document = response.json()
    except ValueError:
        return None
    return public_key(document) if isinstance(document, dict) and "kty" in document else None


def public_key(document: dict[str, Any]) -> jwk.JWK:
    """A checked public RSA encryption key; private parts are refused (nobody should publish them)."""
    if document.get("kty") != "RSA" or document.get("use", "enc") != "enc" or "d" in document:
        raise UnusableKey("the key must be a public RSA key for encryption (kty RSA, use enc)")
    if document.get("alg", ALGORITHM) != ALGORITHM:
        raise UnusableKey(f"the key's algorithm must be {ALGORITHM}")
    try:
        key = jwk.JWK(**document)
    except (ValueError, TypeError) as exc:
        raise UnusableKey(f"not a valid JWK: {exc}") from exc
    public = key.get_op_key("encrypt")
    if not isinstance(public, rsa.RSAPublicKey):
        raise UnusableKey("the key must be a public RSA key for encryption (kty RSA, use enc)")
    bits = public.key_size
    if bits < MIN_RSA_BITS:
        raise UnusableKey(f"RSA keys need at least {MIN_RSA_BITS} bits, this one has {bits}")
    return key


def encrypt(plaintext: bytes, key: jwk.JWK, *, content_type: str = "application/json") -> str:
    """A JWE in compact serialisation that only the holder of the private key can read."""
    header = {"alg": ALGORITHM, "enc": ENCRYPTION, "cty": content_type}
    if key.get("kid"):
        header["kid"] = key["kid"]
    token = jwe.JWE(plaintext, protected=json.dumps(header))
    token.add_recipient(key)
    return str(token.serialize(compact=True))
