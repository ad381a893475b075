"""Office staff roles, and the wall between office users and municipality users."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from amtsplatz.office import roles
from tenants.models import Municipality
from tests.office.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [roles.OFFICE_ADMIN, roles.CATALOGUE_EDITOR, roles.BILLING])
def test_each_role_is_a_group_with_its_permissions(role: str) -> None:
    group = Group.objects.get(name=role)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert granted == set(roles.ROLE_PERMISSIONS[role])


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (roles.CATALOGUE_EDITOR, "/office/catalogue/", 200),
        (roles.CATALOGUE_EDITOR, "/office/billing/", 403),
        (roles.CATALOGUE_EDITOR, "/office/audit/", 403),
        (roles.BILLING, "/office/billing/", 200),
        (roles.BILLING, "/office/catalogue/new/", 403),
        (roles.OFFICE_ADMIN, "/office/billing/", 200),
        (roles.OFFICE_ADMIN, "/office/catalogue/", 200),
        (roles.OFFICE_ADMIN, "/office/audit/", 200),
    ],
)
def test_roles_open_only_their_sections(
    office_user_in: Callable[[str], User], role: str, url: str, status: int
) -> None:
    client = Client(HTTP_HOST="localhost")
    assert (
        client.post("/office/login/", {"username": office_user_in(role).username, "password": PASSWORD}).status_code
        == 302
    )
    assert client.get(url).status_code == status


def test_only_managers_may_suspend(office_user_in: Callable[[str], User], gera: Municipality) -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(office_user_in(roles.BILLING))
    assert client.post("/office/municipalities/gera/suspend/").status_code == 403
    gera.refresh_from_db()
    assert gera.is_active


def test_office_user_cannot_log_into_a_municipality(
    office_admin: User, gera: Municipality, wurzen: Municipality
) -> None:
    office = Client(HTTP_HOST="localhost")
    assert office.post("/office/login/", {"username": office_admin.username, "password": PASSWORD}).status_code == 302
    assert office.get("/office/").status_code == 200
    for host in ("gera.localhost", "wurzen.localhost"):
        client = Client(HTTP_HOST=host)
        response = client.post("/cms/login/", {"username": office_admin.username, "password": PASSWORD})
        assert response.status_code == 200  # the form again, with an error
        assert client.get("/cms/").status_code == 302
        # The office session is worthless on a municipality's host.
        stolen = Client(HTTP_HOST=host)
        stolen.cookies["sessionid"] = office.cookies["sessionid"].value
        assert stolen.get("/cms/")["Location"].startswith("/cms/login/")


def test_municipality_user_cannot_log_into_the_office(gera_client: Client, gera: Municipality) -> None:
    assert (
        gera_client.post(
            "/cms/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"}
        ).status_code
        == 302
    )
    office = Client(HTTP_HOST="localhost")
    response = office.post("/office/login/", {"username": "it@gera.example", "password": "Gera-Admin-Passwort-1"})
    assert response.status_code == 200
    assert office.get("/office/")["Location"].startswith("/office/login/")
    stolen = Client(HTTP_HOST="localhost")
    stolen.cookies["sessionid"] = gera_client.cookies["sessionid"].value
    assert stolen.get("/office/")["Location"].startswith("/office/login/")


def test_public_user_without_staff_flag_cannot_log_into_the_office() -> None:
    User.objects.create_user(username="citizen@example.org", password=PASSWORD)
    client = Client(HTTP_HOST="localhost")
    assert client.post("/office/login/", {"username": "citizen@example.org", "password": PASSWORD}).status_code == 200
    assert client.get("/office/").status_code == 302
