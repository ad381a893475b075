"""Brute force against the three logins is locked out per account and per client address; admins unlock."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client, override_settings
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db
PASSWORD = "richtig-Geheim-2026"
LOGINS = [
    ("gera.localhost", "gera", "/cms/login/", True),
    ("localhost", "public", "/office/login/", True),
    ("gera.localhost", "gera", "/antraege/konto/anmelden/", False),
]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    """Every attempt checks a password: a cheap hasher keeps dozens of them quick (the lockout is the subject)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(schema: str, name: str, *, staff: bool) -> User:
    with schema_context(schema):
        return User.objects.create_user(name, name, PASSWORD, is_staff=staff, is_superuser=staff)


def _try(host: str, path: str, username: str, password: str, address: str = "203.0.113.7", **headers: Any) -> Any:
    client = Client(HTTP_HOST=host, REMOTE_ADDR=address, **headers)
    return client.post(path, {"username": username, "password": password})


@pytest.mark.parametrize(("host", "schema", "path", "staff"), LOGINS)
def test_the_right_password_no_longer_works_after_many_wrong_ones(
    gera: Any, host: str, schema: str, path: str, staff: bool
) -> None:
    name = f"opfer-{schema}@example.org"
    _user(schema, name, staff=staff)
    answers = [_try(host, path, name, "falsch").status_code for _attempt in range(django_settings.AXES_FAILURE_LIMIT)]
    assert answers == [200] * (django_settings.AXES_FAILURE_LIMIT - 1) + [429]  # the form again, then locked
    locked = _try(host, path, name, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0
    page = locked.content.decode()
    assert "Too many failed logins" in page and "Zu viele fehlgeschlagene Anmeldungen" in page
    # Another client address cannot use the account either (per account) ...
    assert _try(host, path, name, PASSWORD, address="198.51.100.9").status_code == 429
    # ... until an administrator unlocks it.
    with schema_context(schema):
        call_command("axes_reset_username", name)
    assert _try(host, path, name, PASSWORD).status_code == 302


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_one_client_behind_the_proxy_is_locked_not_the_whole_town(gera: Any) -> None:
    for number in range(django_settings.AXES_FAILURE_LIMIT):
        _try(
            "gera.localhost", "/cms/login/", f"raten{number}", "falsch", "10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7"
        )
    _user("gera", "redlich", staff=True)
    attacker = _try(
        "gera.localhost", "/cms/login/", "redlich", PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert attacker.status_code == 429  # per client address, across accounts
    neighbour = _try(
        "gera.localhost", "/cms/login/", "redlich", PASSWORD, "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert neighbour.status_code == 302


def test_a_lockout_on_one_municipality_does_not_reach_another(gera: Any, wurzen: Any) -> None:
    for schema in ("gera", "wurzen"):
        _user(schema, "gleichnamig", staff=True)
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        _try("gera.localhost", "/cms/login/", "gleichnamig", "falsch")
    assert _try("gera.localhost", "/cms/login/", "gleichnamig", PASSWORD).status_code == 429
    assert _try("wurzen.localhost", "/cms/login/", "gleichnamig", PASSWORD, "198.51.100.9").status_code == 302


def _external_callbacks(schema: str) -> list[tuple[str, str]]:
    """Gera with a BundID, an OIDC provider and staff sign-on configured: (method, callback) of each."""
    from citizens.models import SamlIdentityProvider
    from cms.staff_sign_on.models import StaffSignOn

    with schema_context(schema):
        SamlIdentityProvider.objects.create(metadata_url="https://idp.example/metadata")
        StaffSignOn.objects.update_or_create(
            defaults={"enabled": True, "discovery_url": "https://sso.example/.well-known/openid-configuration",
                      "client_id": "portal", "client_secret": "geheim"},
        )  # fmt: skip
    return [
        ("post", "/konto/bundid/acs/"),
        ("get", "/konto/bundid/fertig/kein-token/"),
        ("get", "/konto/oidc/stadt-sso/zurueck/?state=erfunden&code=x"),
        ("get", "/cms/sso/callback/?state=erfunden&code=x"),
    ]


def test_refused_answers_of_identity_providers_lock_the_client_out_per_method(gera: Any) -> None:
    """Forged or replayed callbacks of BundID, OIDC and staff sign-on count as failed logins of their method."""
    limit = django_settings.AXES_FAILURE_LIMIT
    for verb, path in _external_callbacks("gera"):
        data = {"SAMLResponse": "bm9uc2Vuc2U="} if verb == "post" else None

        def attempt(address: str, verb: str = verb, path: str = path, data: Any = data) -> Any:
            return getattr(Client(HTTP_HOST="gera.localhost", REMOTE_ADDR=address), verb)(path, data)

        statuses = [attempt("203.0.113.9").status_code for _attempt in range(limit + 1)]
        refused = statuses[: statuses.index(429)] if 429 in statuses else statuses
        assert len(refused) >= limit - 1 and set(refused) == {403}, (path, statuses)
        locked = attempt("203.0.113.9")
        assert locked.status_code == 429 and locked["Retry-After"], path
        assert attempt("198.51.100.4").status_code == 403, path  # another client is not locked out
        call_command("axes_reset")
