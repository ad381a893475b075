"""The client address behind trusted proxies: X-Forwarded-For only as far as a trusted proxy wrote it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django_tenants.utils import schema_context

from amtsplatz.infra.security.client_address import axes_client_address, client_address
from participation.models import ParticipationSettings
from tests.participation.conftest import PASSWORD, solved

PROXY = "10.0.0.5"


def _address(remote: str, forwarded: str | None = None) -> str:
    extra: dict[str, Any] = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_the_header_of_a_trusted_proxy_names_the_client() -> None:
    assert _address(PROXY, "203.0.113.7") == "203.0.113.7"
    # A client's own forged entry stands left of what our proxy appended: the proxy's entry wins.
    assert _address(PROXY, "1.2.3.4, 203.0.113.7") == "203.0.113.7"
    # Chains of trusted proxies are walked until the first address that is not one of ours.
    assert _address(PROXY, "203.0.113.7, 10.0.0.9") == "203.0.113.7"
    assert _address(PROXY, " 2001:db8::1 ") == "2001:db8::1"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_the_header_of_anybody_else_is_ignored() -> None:
    assert _address("198.51.100.9", "203.0.113.7") == "198.51.100.9"
    assert _address(PROXY) == PROXY  # no header: the proxy itself
    assert _address(PROXY, "not-an-address") == PROXY
    assert _address(PROXY, "203.0.113.7, rubbish") == PROXY
    assert _address("", "203.0.113.7") == "unknown"


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert _address("127.0.0.1", "203.0.113.7") == "127.0.0.1"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_rate_limits_count_per_client_behind_the_proxy(gera: Any) -> None:
    """Two citizens behind the same nginx have a limit each; a forged header does not reset one's count."""
    with schema_context("gera"):
        ParticipationSettings.objects.update_or_create(defaults={"sign_ups_per_ip": 1})

    def sign_up(forwarded: str, number: int) -> int:
        client = Client(HTTP_HOST="gera.localhost", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        data = {"email": f"n{number}@example.org", "pseudonym": f"Person{number}", "password": PASSWORD,
                "password_again": PASSWORD, **solved("gera")}  # fmt: skip
        return client.post("/beteiligung/konto/registrieren/", data).status_code

    assert sign_up("203.0.113.7", 1) == 200
    assert sign_up("198.51.100.9", 2) == 200  # another citizen, same proxy
    assert sign_up("9.9.9.9, 203.0.113.7", 3) == 429  # forged left entry: still the first citizen


def test_django_axes_gets_no_address_rather_than_a_made_up_one() -> None:
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert axes_client_address(request) is None
    assert axes_client_address(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")) == "203.0.113.7"
