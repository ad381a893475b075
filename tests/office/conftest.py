"""Office staff of the public schema, one per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from amtsplatz.office import roles

PASSWORD = "Office-Passwort-2026"


@pytest.fixture
def office_user_in() -> Callable[[str], User]:
    """A staff user of the public schema in the given role (Group)."""

    def make(role: str) -> User:
        username = f"{role.split()[0].lower()}@office.example"
        user = User.objects.create_user(username=username, email=username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def office_admin(office_user_in: Callable[[str], User]) -> User:
    return office_user_in(roles.OFFICE_ADMIN)


@pytest.fixture
def admin_client(office_admin: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(office_admin)
    return client
