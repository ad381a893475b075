"""Office API tokens are issued and revoked in the office UI: shown once, stored hashed, own tokens only."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from amtsplatz.office import roles
from amtsplatz.office.models import OfficeApiToken
from amtsplatz.office.onboarding import api_token_create, api_token_user

pytestmark = pytest.mark.django_db


def _issued_key(client: Client, name: str) -> str:
    page = client.post("/office/api-tokens/", {"name": name})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    match = re.search(r'<code id="new-token">([^<]+)</code>', page.content.decode())
    assert match, "the new key is shown once"
    return match.group(1)


def test_an_office_admin_issues_a_token_that_works_and_is_stored_hashed(
    admin_client: Client, office_admin: User
) -> None:
    key = _issued_key(admin_client, "Landkreis-Skript")

    assert api_token_user(key) == office_admin
    stored = OfficeApiToken.objects.get(name="Landkreis-Skript")
    assert key not in stored.key_hash and len(stored.key_hash) == 64
    listing = admin_client.get("/office/api-tokens/").content.decode()
    assert "Landkreis-Skript" in listing and key not in listing  # never shown again


def test_revoking_stops_the_token_and_nobody_revokes_anothers(admin_client: Client, office_admin: User) -> None:
    key = _issued_key(admin_client, "alt")
    token = OfficeApiToken.objects.get(name="alt")
    other = User.objects.create_user("zweite@office.example", "zweite@office.example", "x", is_staff=True)
    other.groups.add(Group.objects.get(name=roles.OFFICE_ADMIN))
    foreign = api_token_create(user=other, name="fremd")
    foreign_token = OfficeApiToken.objects.get(name="fremd")

    assert admin_client.post(f"/office/api-tokens/{foreign_token.pk}/revoke/").status_code == 302
    assert api_token_user(foreign) == other  # still valid: not the admin's own
    assert admin_client.post(f"/office/api-tokens/{token.pk}/revoke/").status_code == 302
    assert api_token_user(key) is None and not OfficeApiToken.objects.filter(pk=token.pk).exists()


def test_without_the_manage_role_there_is_no_token_page(office_user_in: Callable[[str], User]) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(office_user_in(roles.BILLING))
    assert client.get("/office/api-tokens/").status_code in (302, 403)
    assert client.post("/office/api-tokens/", {"name": "x"}).status_code in (302, 403)
    assert not OfficeApiToken.objects.exists()
