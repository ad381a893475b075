"""OIDC login against a real provider process (oidc-provider-mock): round trip and refusals."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.test import Client
from django_tenants.utils import schema_context

from citizens import oidc
from citizens.models import Identity, OidcProvider
from tests.citizens.identity_providers import oidc_authorize, oidc_issuer, oidc_issuer_expired

__all__ = ["oidc_issuer", "oidc_issuer_expired"]
pytestmark = pytest.mark.django_db
START = "/konto/oidc/landeskonto/anmelden/?next=/antraege/"


def _provider(schema: str, issuer: str, **fields: str) -> OidcProvider:
    with schema_context(schema):
        return OidcProvider.objects.create(
            name="Landeskonto", slug="landeskonto", issuer=issuer, client_id=f"{schema}-portal",
            client_secret="geheim-" + schema, **fields,
        )  # fmt: skip


def _callback(client: Client) -> str:
    redirect = client.get(START)
    assert redirect.status_code == 302, redirect.content
    query = parse_qs(urlsplit(redirect["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = urlsplit(oidc_authorize(redirect["Location"]))
    assert back.path == "/konto/oidc/landeskonto/zurueck/"
    return f"{back.path}?{back.query}"


def test_oidc_round_trip_logs_in_with_the_provider_level(gera_client: Client, gera: object, oidc_issuer: str) -> None:
    _provider("gera", oidc_issuer, trust_level="substantial")
    done = gera_client.get(_callback(gera_client))
    assert done.status_code == 302 and done["Location"] == "/antraege/"
    stored = gera_client.session["citizens_authentication"]
    assert stored["method"] == "oidc" and stored["level"] == "substantial"
    assert stored["attributes"]["person.given_name"] == "Erika"
    assert stored["attributes"]["contact.email"] == "erika.oidc@example.org"
    with schema_context("gera"):
        identity = Identity.objects.get(method="oidc", subject="oidc-erika")
        assert identity.provider == oidc_issuer and identity.user.email == "erika.oidc@example.org"


def test_a_replayed_callback_is_refused(gera_client: Client, gera: object, oidc_issuer: str) -> None:
    _provider("gera", oidc_issuer)
    callback = _callback(gera_client)
    assert gera_client.get(callback).status_code == 302
    gera_client.post("/antraege/konto/abmelden/")
    assert gera_client.get(callback).status_code == 403
    assert Client(HTTP_HOST="gera.localhost").get(callback).status_code == 403


def test_a_gera_login_is_worthless_on_wurzen(
    gera_client: Client, wurzen_client: Client, gera: object, wurzen: object, oidc_issuer: str
) -> None:
    _provider("gera", oidc_issuer)
    _provider("wurzen", oidc_issuer)
    callback = _callback(gera_client)
    assert wurzen_client.get(callback).status_code == 403  # Wurzen's session started no such login
    with schema_context("wurzen"):
        assert not Identity.objects.filter(method="oidc").exists()


def _token_for(issuer: str, client_id: str) -> tuple[str, str]:
    """A real ID token of the provider for ``client_id`` (a full code flow): (token, nonce)."""
    session = OAuth2Session(client_id=client_id, client_secret="x", redirect_uri="http://elsewhere.localhost/cb",
                            scope="openid", code_challenge_method="S256")  # fmt: skip
    nonce, verifier = generate_token(20), generate_token(48)
    url, _state = session.create_authorization_url(f"{issuer}/oauth2/authorize", nonce=nonce, code_verifier=verifier)
    code = parse_qs(urlsplit(oidc_authorize(url)).query)["code"][0]
    token = session.fetch_token(f"{issuer}/oauth2/token", code=code, code_verifier=verifier)
    return str(token["id_token"]), nonce


def test_wrong_audience_wrong_nonce_unsigned_or_expired_id_tokens_are_refused(
    gera: object, oidc_issuer: str, oidc_issuer_expired: str
) -> None:
    provider = _provider("gera", oidc_issuer)
    with schema_context("gera"):
        good, nonce = _token_for(oidc_issuer, "gera-portal")
        assert oidc.id_token_claims(provider, good, nonce=nonce)["sub"] == "oidc-erika"
        foreign, foreign_nonce = _token_for(oidc_issuer, "wurzen-portal")
        with pytest.raises(oidc.OidcRefused):
            oidc.id_token_claims(provider, foreign, nonce=foreign_nonce)
        with pytest.raises(oidc.OidcRefused):
            oidc.id_token_claims(provider, good, nonce="another-login")
        _header, claims, _signature = good.split(".")
        unsigned_header = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=").decode()
        with pytest.raises(oidc.OidcRefused):
            oidc.id_token_claims(provider, f"{unsigned_header}.{claims}.", nonce=nonce)
        expired_provider = OidcProvider.objects.create(
            name="Alt", slug="alt", issuer=oidc_issuer_expired, client_id="gera-portal"
        )
        expired, expired_nonce = _token_for(oidc_issuer_expired, "gera-portal")
        with pytest.raises(oidc.OidcRefused):
            oidc.id_token_claims(expired_provider, expired, nonce=expired_nonce)


def test_the_secret_is_never_shown_back_in_the_cms(gera: object, oidc_issuer: str) -> None:
    from django.contrib.auth.models import User

    provider = _provider("gera", oidc_issuer)
    client = Client(HTTP_HOST="gera.localhost")
    with schema_context("gera"):
        client.force_login(User.objects.get(email="it@gera.example"))
    page = client.get(f"/cms/snippets/citizens/oidcprovider/edit/{provider.pk}/")
    assert page.status_code == 200
    assert "geheim-gera" not in page.content.decode()
