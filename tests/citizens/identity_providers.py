"""Real identity providers for the citizen-login tests: the TEST SAML IdP (pysaml2) and an OIDC provider.

Both run as separate processes started once per test session; the tests talk to them over HTTP with
``requests`` (the IdP side) and Django's test client (the portal side), so every redirect, signature,
encryption and token is real.
"""

from __future__ import annotations

import json
import re
import sys
import time
import urllib.request
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.test import Client
from django_tenants.utils import schema_context

from citizens import services
from citizens.models import SamlIdentityProvider
from tests.conftest import free_port, server_start


def _wait(url: str, process: object) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (a local http URL)
            return
        except OSError as error:
            if time.monotonic() > deadline or process.poll() is not None:  # type: ignore[attr-defined]
                process.kill()  # type: ignore[attr-defined]
                raise RuntimeError(f"identity provider at {url} did not start") from error
            time.sleep(0.2)


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[str]:
    """The TEST SAML IdP (demo/test_idp.py) on a free port; yields its base URL."""
    port = free_port()
    process = server_start([sys.executable, "-m", "demo.test_idp", "--port", str(port)], env=_env())
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/healthz", process)
    yield base
    process.terminate()
    process.wait(timeout=20)


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def bundid_setup(schema: str, host: str, idp: str) -> SamlIdentityProvider:
    """The municipality's BundID pointing at the test IdP, and its SP metadata registered there."""
    with schema_context(schema):
        provider = services.saml_provider_save(provider=SamlIdentityProvider(metadata_url=f"{idp}/metadata"))
    metadata = Client(HTTP_HOST=host).get("/konto/bundid/metadata.xml")
    assert metadata.status_code == 200
    registered = requests.post(f"{idp}/register", data=metadata.content, timeout=60)
    assert registered.status_code == 200, registered.text
    return provider


def form_fields(html: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the (first) form in an HTML page."""
    action = unescape(re.search(r'<form[^>]*action="([^"]*)"', html).group(1))  # type: ignore[union-attr]
    fields = {unescape(n): unescape(v) for n, v in re.findall(r'name="([^"]+)" value="([^"]*)"', html)}
    return action, fields


def idp_answer(client: Client, idp: str, *, start: str, person: str = "erika", level: str = "STORK-QAA-Level-3",
               fault: str = "") -> dict[str, str]:  # fmt: skip
    """Start the login at the portal, answer at the IdP; the form the IdP makes the browser post (unposted)."""
    redirect = client.get(start)
    assert redirect.status_code == 302, redirect.content
    location = redirect["Location"]
    assert location.startswith(idp)
    page = requests.get(location, timeout=60)
    assert page.status_code == 200, page.text
    assert "keine echte BundID" in page.text
    query = dict(parse_qsl(urlsplit(location).query))
    answer = requests.post(f"{idp}/sso", data={**query, "person": person, "level": level, "fault": fault}, timeout=60)
    assert answer.status_code == 200, answer.text
    action, fields = form_fields(answer.text)
    return {"action": urlsplit(action).path, **fields}


def post_answer(client: Client, answer: dict[str, str]) -> Any:
    """Post the IdP's answer to the assertion consumer and follow to the end of the login."""
    consumed = client.post(
        answer["action"], {"SAMLResponse": answer["SAMLResponse"], "RelayState": answer["RelayState"]}
    )
    if consumed.status_code != 302:
        return consumed
    return client.get(consumed["Location"])


OIDC_USER = {
    "sub": "oidc-erika",
    "given_name": "Erika",
    "family_name": "Mustermann",
    "birthdate": "1964-08-12",
    "email": "erika.oidc@example.org",
    "email_verified": True,
}


def _oidc_provider(*extra: str) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "-p", str(port), "-n", "true", *extra]
    process = server_start([*command, "--user-claims", json.dumps(OIDC_USER)], env=_env())
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/.well-known/openid-configuration", process)
    yield base
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """A real OpenID Connect provider (oidc-provider-mock from PyPI): signs real ID tokens (RS256)."""
    yield from _oidc_provider()


@pytest.fixture(scope="session")
def oidc_issuer_expired() -> Iterator[str]:
    """The same provider issuing tokens that expired a minute before they were issued."""
    yield from _oidc_provider("--token-max-age=-60")


def oidc_authorize(location: str, sub: str = "oidc-erika") -> str:
    """Log in at the provider's authorization page as ``sub``; the redirect back (the callback URL)."""
    answer = requests.post(location, data={"sub": sub}, allow_redirects=False, timeout=60)
    assert answer.status_code in (302, 303), answer.text
    return str(answer.headers["Location"])
