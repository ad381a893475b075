"""BundID login (SAML 2.0) against the real TEST IdP process: round trip, refusals, isolation, logout."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from django.test import Client
from django_tenants.utils import schema_context

from citizens.models import Identity
from tests.citizens.identity_providers import bundid_setup, idp_answer, post_answer, saml_idp

__all__ = ["saml_idp"]

START = "/konto/bundid/anmelden/?next=/antraege/&level=substantial&attributes=person.given_name,person.family_name"
BPK2 = "test-bpk2-erika-mustermann"

pytestmark = pytest.mark.django_db


@pytest.fixture
def gera_bundid(gera: object, saml_idp: str) -> str:
    bundid_setup("gera", "gera.localhost", saml_idp)
    return saml_idp


def test_login_round_trip_creates_an_account_with_the_bpk2_and_level(gera_client: Client, gera_bundid: str) -> None:
    answer = idp_answer(gera_client, gera_bundid, start=START)
    finished = post_answer(gera_client, answer)
    assert finished.status_code == 302 and finished["Location"] == "/antraege/"
    with schema_context("gera"):
        identity = Identity.objects.get(method="bundid", subject=BPK2)
    assert gera_client.session["_auth_user_id"] == str(identity.user_id)
    stored = gera_client.session["citizens_authentication"]
    assert stored["level"] == "substantial" and stored["method"] == "bundid"
    assert stored["attributes"] == {"person.given_name": "Erika", "person.family_name": "Mustermann"}
    page = gera_client.get("/konto/anmeldungen/")
    assert "BundID" in page.content.decode()


def test_level_4_is_high_and_a_second_login_finds_the_same_account(gera_client: Client, gera_bundid: str) -> None:
    post_answer(gera_client, idp_answer(gera_client, gera_bundid, start=START))
    other = Client(HTTP_HOST="gera.localhost")
    post_answer(other, idp_answer(other, gera_bundid, start=START, level="STORK-QAA-Level-4"))
    assert other.session["citizens_authentication"]["level"] == "high"
    assert other.session["_auth_user_id"] == gera_client.session["_auth_user_id"]
    with schema_context("gera"):
        assert Identity.objects.filter(method="bundid", subject=BPK2).count() == 1


def test_the_authn_request_is_signed_and_carries_the_akdb_extension_and_level(
    gera_client: Client, gera_bundid: str
) -> None:
    location = gera_client.get(START)["Location"]
    query = dict(parse_qsl(urlsplit(location).query))
    assert query["SigAlg"].endswith("rsa-sha256") and query["Signature"]
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"]), -15).decode()
    assert 'AuthenticationRequest xmlns:ns0="https://www.akdb.de/request/2018/09"' in xml or "akdb" in xml
    assert 'Name="urn:oid:2.5.4.42"' in xml and 'Name="urn:oid:1.3.6.1.4.1.25484.494450.3"' in xml
    assert "urn:oid:1.3.6.1.5.5.7.9.1" not in xml  # only what was asked for: no date of birth
    assert "STORK-QAA-Level-3" in xml and 'Comparison="minimum"' in xml


def test_sp_metadata_names_signing_and_encryption_keys(gera_client: Client, gera_bundid: str) -> None:
    metadata = gera_client.get("/konto/bundid/metadata.xml").content.decode()
    assert 'entityID="http://gera.localhost' in metadata and "/konto/bundid/metadata.xml" in metadata
    assert 'use="signing"' in metadata and 'use="encryption"' in metadata
    assert "/konto/bundid/acs/" in metadata and "/konto/bundid/slo/" in metadata
    assert "PRIVATE KEY" not in metadata


def test_a_replayed_assertion_is_refused(gera_client: Client, gera_bundid: str) -> None:
    answer = idp_answer(gera_client, gera_bundid, start=START)
    assert post_answer(gera_client, answer).status_code == 302
    replay = Client(HTTP_HOST="gera.localhost")
    assert post_answer(replay, answer).status_code == 403
    assert post_answer(gera_client, answer).status_code == 403


@pytest.mark.parametrize("fault", ["unsigned", "expired", "audience"])
def test_unsigned_expired_or_foreign_audience_assertions_are_refused(
    gera_client: Client, gera_bundid: str, fault: str
) -> None:
    answer = idp_answer(gera_client, gera_bundid, start=START, fault=fault)
    refused = post_answer(gera_client, answer)
    assert refused.status_code == 403
    assert "_auth_user_id" not in gera_client.session
    with schema_context("gera"):
        assert not Identity.objects.filter(method="bundid").exists()


def test_an_unencrypted_or_garbled_response_is_refused(gera_client: Client, gera_bundid: str) -> None:
    answer = idp_answer(gera_client, gera_bundid, start=START)
    garbled = {**answer, "SAMLResponse": base64.b64encode(b"<x/>").decode()}
    assert post_answer(gera_client, garbled).status_code == 403
    assert post_answer(gera_client, {**answer, "SAMLResponse": "%%%"}).status_code == 403


def test_the_finishing_step_only_works_in_the_session_that_asked(gera_client: Client, gera_bundid: str) -> None:
    """Login CSRF: an attacker's own answer, finished in a victim's browser, logs nobody in."""
    answer = idp_answer(gera_client, gera_bundid, start=START)
    victim = Client(HTTP_HOST="gera.localhost")
    consumed = victim.post(answer["action"], {"SAMLResponse": answer["SAMLResponse"], "RelayState": "/"})
    assert consumed.status_code == 302
    assert victim.get(consumed["Location"]).status_code == 403
    assert "_auth_user_id" not in victim.session


def test_a_gera_assertion_is_worthless_on_wurzen(
    gera_client: Client, wurzen_client: Client, gera_bundid: str, wurzen: object
) -> None:
    bundid_setup("wurzen", "wurzen.localhost", gera_bundid)
    answer = idp_answer(gera_client, gera_bundid, start=START)
    # The same browser (cookies of both hosts) posts Gera's answer to Wurzen's consumer.
    assert post_answer(wurzen_client, answer).status_code == 403
    wurzen_answer = idp_answer(wurzen_client, gera_bundid, start=START)
    assert post_answer(gera_client, wurzen_answer).status_code == 403
    with schema_context("wurzen"):
        assert not Identity.objects.filter(method="bundid").exists()
    # Logged in at Gera, the Wurzen session knows nobody.
    assert post_answer(gera_client, answer).status_code == 302
    assert "_auth_user_id" not in wurzen_client.session


def test_single_logout_ends_the_session_here_and_at_the_idp(gera_client: Client, gera_bundid: str) -> None:
    post_answer(gera_client, idp_answer(gera_client, gera_bundid, start=START))
    leaving = gera_client.post("/konto/bundid/abmelden/")
    assert "_auth_user_id" not in gera_client.session
    assert leaving["Location"].startswith(f"{gera_bundid}/slo?")
    idp = requests.get(leaving["Location"], allow_redirects=False, timeout=60)
    assert idp.status_code == 302, idp.text
    back = urlsplit(idp.headers["Location"])
    assert back.path == "/konto/bundid/slo/" and "SAMLResponse" in back.query
    assert gera_client.get(f"{back.path}?{back.query}").status_code == 302


def test_the_same_person_has_separate_accounts_in_gera_and_wurzen(
    gera_client: Client, wurzen_client: Client, gera_bundid: str, wurzen: object
) -> None:
    bundid_setup("wurzen", "wurzen.localhost", gera_bundid)
    post_answer(gera_client, idp_answer(gera_client, gera_bundid, start=START))
    post_answer(wurzen_client, idp_answer(wurzen_client, gera_bundid, start=START))
    with schema_context("gera"):
        gera_user = Identity.objects.get(method="bundid", subject=BPK2).user.username
    with schema_context("wurzen"):
        wurzen_user = Identity.objects.get(method="bundid", subject=BPK2).user.username
    assert gera_user != wurzen_user
    # Gera's session cookie value means nothing to Wurzen's host.
    wurzen_with_gera_cookie = Client(HTTP_HOST="wurzen.localhost")
    wurzen_with_gera_cookie.cookies["sessionid"] = gera_client.cookies["sessionid"].value
    assert wurzen_with_gera_cookie.get("/konto/anmeldungen/").status_code == 302


def test_the_cms_refuses_a_metadata_url_without_an_identity_provider(gera: object, saml_idp: str) -> None:
    from django.contrib.auth.models import User

    client = Client(HTTP_HOST="gera.localhost")
    with schema_context("gera"):
        client.force_login(User.objects.get(email="it@gera.example"))
    refused = client.post(
        "/cms/snippets/citizens/samlidentityprovider/add/",
        {"name": "BundID", "metadata_url": f"{saml_idp}/healthz", "enabled": "on"},
    )
    assert refused.status_code == 200 and "metadata" in refused.content.decode().lower()
    with schema_context("gera"):
        from citizens.models import SamlIdentityProvider

        assert not SamlIdentityProvider.objects.exists()
    saved = client.post(
        "/cms/snippets/citizens/samlidentityprovider/add/",
        {"name": "BundID", "metadata_url": f"{saml_idp}/metadata", "enabled": "on"},
    )
    assert saved.status_code == 302
    with schema_context("gera"):
        assert "IDPSSODescriptor" in SamlIdentityProvider.objects.get().metadata_xml
