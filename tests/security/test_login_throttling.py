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
