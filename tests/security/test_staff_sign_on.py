"""Staff single sign-on to /cms/ against a real OpenID Connect provider (oidc-provider-mock, signed tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.test import Client
from django_tenants.utils import schema_context
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from cms.staff_sign_on import oidc
from cms.staff_sign_on.models import StaffSignOn

pytestmark = pytest.mark.django_db
PEOPLE = [
    ProviderUser(sub="anna", claims={"email": "anna@gera.example", "given_name": "Anna", "groups": ["redaktion"]}),
    ProviderUser(sub="bernd", claims={"email": "bernd@gera.example", "groups": ["kantine"]}),
]


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with run_server_in_thread(user_claims=PEOPLE) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def expired_provider() -> Iterator[str]:
    """Issues tokens that expired two minutes before they were issued (beyond every leeway)."""
    with run_server_in_thread(user_claims=PEOPLE, access_token_max_age=timedelta(seconds=-120)) as server:
        yield f"http://localhost:{server.server_port}"


def _configure(schema: str, issuer: str, client_id: str = "gera-cms") -> None:
    with schema_context(schema):
        config = StaffSignOn.load()
        config.enabled = True
        config.discovery_url = f"{issuer}/.well-known/openid-configuration"
        config.client_id = client_id
        config.client_secret = "geheim-der-stadt"
        config.groups_claim = "groups"
        config.group_mapping = "redaktion = Editors\nleitung = Moderators"
        config.save()


def _to_provider(client: Client) -> str:
    started = client.post("/cms/sso/start/", {"next": "/cms/pages/"})
    assert started.status_code == 302
    return str(started["Location"])


def _provider_answer(authorize_url: str, sub: str) -> str:
    """The person picks their account at the provider; the provider redirects back with code and state."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    return f"{location.path}?{location.query}"


def test_login_round_trip_with_pkce_state_nonce_and_group_mapping(gera: Any, provider: str) -> None:
    _configure("gera", provider)
    client = Client(HTTP_HOST="gera.localhost")
    assert "Mit Dienst-Login anmelden" in client.get("/cms/login/").content.decode()
    authorize_url = _to_provider(client)
    query = parse_qs(urlsplit(authorize_url).query)
    assert authorize_url.startswith(provider)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"] and query["nonce"]
    assert query["state"] and query["client_id"] == ["gera-cms"]
    back = client.get(_provider_answer(authorize_url, "anna"))
    assert back.status_code == 302 and back["Location"] == "/cms/pages/"
    assert client.get("/cms/pages/").status_code == 200
    with schema_context("gera"):
        anna = User.objects.get(staff_identity__subject="anna")
        assert anna.email == "anna@gera.example" and not anna.is_superuser and not anna.has_usable_password()
        assert list(anna.groups.values_list("name", flat=True)) == ["Editors"]


def test_a_person_without_a_mapped_group_gets_no_account(gera: Any, provider: str) -> None:
    _configure("gera", provider)
    client = Client(HTTP_HOST="gera.localhost")
    refused = client.get(_provider_answer(_to_provider(client), "bernd"))
    assert refused.status_code == 403 and "keine Rolle" in refused.content.decode()
    with schema_context("gera"):
        assert not User.objects.filter(staff_identity__subject="bernd").exists()


def test_a_replayed_or_forged_callback_is_refused(gera: Any, provider: str) -> None:
    _configure("gera", provider)
    client = Client(HTTP_HOST="gera.localhost")
    callback = _provider_answer(_to_provider(client), "anna")
    forged = callback.replace("state=", "state=x")
    assert client.get(forged).status_code == 403
    other = Client(HTTP_HOST="gera.localhost")
    callback = _provider_answer(_to_provider(other), "anna")
    assert other.get(callback).status_code == 302
    assert other.get(callback).status_code == 403  # the same answer twice


def test_an_expired_id_token_is_refused(gera: Any, expired_provider: str) -> None:
    _configure("gera", expired_provider)
    client = Client(HTTP_HOST="gera.localhost")
    refused = client.get(_provider_answer(_to_provider(client), "anna"))
    assert refused.status_code == 403 and "nicht geprüft werden" in refused.content.decode()


def test_a_token_for_another_client_is_refused(gera: Any, provider: str) -> None:
    """A real, signed ID token whose audience is another application does not log into Gera's /cms/."""
    _configure("gera", provider)
    metadata = requests.get(f"{provider}/.well-known/openid-configuration", timeout=10).json()
    redirect_uri = "http://andere-anwendung.example/callback"
    answer = requests.post(
        metadata["authorization_endpoint"],
        params={
            "client_id": "andere-anwendung",
            "response_type": "code",
            "scope": "openid",
            "nonce": "n-1",
            "redirect_uri": redirect_uri,
            "state": "s-1",
        },
        data={"sub": "anna"},
        allow_redirects=False,
        timeout=10,
    )
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    token = requests.post(
        metadata["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        auth=("andere-anwendung", "egal"),
        timeout=10,
    ).json()
    with schema_context("gera"):
        config = StaffSignOn.load()
        with pytest.raises(oidc.SignOnFailed):
            oidc.validated_claims(config, metadata=metadata, id_token=token["id_token"], nonce="n-1", token=token)
        config.client_id = "andere-anwendung"
        assert oidc.validated_claims(config, metadata=metadata, id_token=token["id_token"], nonce="n-1", token=token)


def test_gera_s_provider_is_worthless_on_wurzen(gera: Any, wurzen: Any, provider: str) -> None:
    _configure("gera", provider)
    gera_client = Client(HTTP_HOST="gera.localhost")
    callback = _provider_answer(_to_provider(gera_client), "anna")
    wurzen_client = Client(HTTP_HOST="wurzen.localhost")
    wurzen_client.cookies = gera_client.cookies
    assert "Mit Dienst-Login anmelden" not in wurzen_client.get("/cms/login/").content.decode()
    assert wurzen_client.get(callback).status_code == 404  # Wurzen has no provider configured
    _configure("wurzen", provider, client_id="wurzen-cms")
    assert wurzen_client.get(callback).status_code == 403  # no login started in Wurzen's session
    with schema_context("wurzen"):
        assert not User.objects.filter(staff_identity__subject="anna").exists()


def test_the_client_secret_is_never_shown_back(gera: Any, provider: str) -> None:
    _configure("gera", provider)
    client = Client(HTTP_HOST="gera.localhost")
    with schema_context("gera"):
        client.force_login(User.objects.get(username="it@gera.example"))
    page = client.get("/cms/settings/cms/staffsignon/", follow=True)
    assert page.status_code == 200 and "Client-Geheimnis" in page.content.decode()
    assert "geheim-der-stadt" not in page.content.decode()


def test_an_empty_secret_field_keeps_the_secret_and_unknown_groups_are_refused(gera: Any, provider: str) -> None:
    _configure("gera", provider)
    client = Client(HTTP_HOST="gera.localhost")
    with schema_context("gera"):
        client.force_login(User.objects.get(username="it@gera.example"))
    url = client.get("/cms/settings/cms/staffsignon/")["Location"]
    data = {
        "enabled": "on",
        "discovery_url": f"{provider}/.well-known/openid-configuration",
        "client_id": "gera-cms-neu",
        "client_secret": "",
        "groups_claim": "groups",
        "group_mapping": "redaktion = Editors",
    }
    assert client.post(url, data).status_code == 302
    with schema_context("gera"):
        config = StaffSignOn.load()
        assert config.client_id == "gera-cms-neu" and config.client_secret == "geheim-der-stadt"
    refused = client.post(url, {**data, "group_mapping": "redaktion = Gibt es nicht"})
    assert refused.status_code == 200 and "Gibt es nicht" in refused.content.decode()
    with schema_context("gera"):
        assert StaffSignOn.load().group_mapping == "redaktion = Editors"


def test_the_demo_offers_staff_sign_on_with_its_test_provider(gera: Any) -> None:
    """``make demo``: the test OIDC provider's person (group ``test-redaktion``) becomes an editor of /cms/."""
    from cms.staff_sign_on.services import staff_sign_on
    from demo.identity import TEST_STAFF_GROUP, identity_demo_ensure

    with schema_context("gera"):
        identity_demo_ensure("gera")
        identity_demo_ensure("gera")  # safe to run again
        config = StaffSignOn.load()
        assert config.usable and config.mapping() == {TEST_STAFF_GROUP: "Editors"}
        claims = {"iss": "http://127.0.0.1:8091", "sub": "test-erika", "groups": [TEST_STAFF_GROUP]}
        editor = staff_sign_on(config=config, claims=claims)
        assert list(editor.groups.values_list("name", flat=True)) == ["Editors"] and not editor.is_superuser
    page = Client(HTTP_HOST="gera.localhost").get("/cms/login/").content.decode()
    assert "Mit Dienst-Login anmelden" in page or "Log in with your staff account" in page
