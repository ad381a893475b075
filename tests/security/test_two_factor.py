"""TOTP second factor of staff (django-otp): enrolment, login step, recovery codes, mandatory for admins, throttled."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from amtsplatz.infra.mfa import services

pytestmark = pytest.mark.django_db
PASSWORD = "Zwei-Faktoren-2026"


@pytest.fixture(autouse=True)
def _mandatory(settings: Any) -> None:
    settings.AMTSPLATZ_STAFF_2FA_MANDATORY = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _admin(schema: str, name: str) -> User:
    with schema_context(schema):
        return User.objects.create_user(name, name, PASSWORD, is_staff=True, is_superuser=True)


def _logged_in(host: str, login_path: str, name: str) -> Client:
    client = Client(HTTP_HOST=host, REMOTE_ADDR="203.0.113.20")
    assert client.post(login_path, {"username": name, "password": PASSWORD}).status_code == 302
    return client


def _enrolled(schema: str, user: User) -> tuple[TOTPDevice, list[str]]:
    with schema_context(schema):
        device = services.pending_totp_device(user=user)
        codes = services.totp_device_confirm(device=device)
        return device, codes


def test_an_administrator_enrols_with_a_local_qr_code_and_sees_recovery_codes_once(gera: Any) -> None:
    _admin("gera", "chefin@gera.example")
    client = _logged_in("gera.localhost", "/cms/login/", "chefin@gera.example")
    sent = client.get("/cms/pages/")
    assert sent.status_code == 302 and sent["Location"].startswith("/cms/zwei-faktor/einrichten/?next=")
    page = client.get(sent["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )
    with schema_context("gera"):
        device = TOTPDevice.objects.get(user__username="chefin@gera.example", confirmed=False)
    assert (
        client.post(sent["Location"], {"code": "000000" if totp(device.bin_key) != 0 else "111111"}).status_code == 400
    )
    done = client.post(sent["Location"], {"code": f"{totp(device.bin_key):06d}"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get("/cms/pages/").status_code == 200
    assert all(code not in client.get("/cms/zwei-faktor/einrichten/").content.decode() for code in codes)


def test_login_asks_for_the_code_of_the_enrolled_device(gera: Any) -> None:
    user = _admin("gera", "kaemmerer@gera.example")
    device, _codes = _enrolled("gera", user)
    client = _logged_in("gera.localhost", "/cms/login/", "kaemmerer@gera.example")
    sent = client.get("/cms/")
    assert sent.status_code == 302 and sent["Location"].startswith("/cms/zwei-faktor/?next=")
    wrong = (totp(device.bin_key) + 1) % 1_000_000
    assert client.post("/cms/zwei-faktor/", {"code": f"{wrong:06d}", "next": "/cms/"}).status_code == 400
    assert client.get("/cms/").status_code == 302
    right = client.post("/cms/zwei-faktor/", {"code": f"{totp(device.bin_key):06d}", "next": "/cms/pages/"})
    assert right.status_code == 302 and right["Location"] == "/cms/pages/"
    assert client.get("/cms/pages/").status_code == 200


def test_a_recovery_code_works_once(gera: Any) -> None:
    user = _admin("gera", "vertretung@gera.example")
    _device, codes = _enrolled("gera", user)
    first = _logged_in("gera.localhost", "/cms/login/", "vertretung@gera.example")
    assert first.post("/cms/zwei-faktor/", {"code": codes[0], "next": "/cms/"}).status_code == 302
    assert first.get("/cms/pages/").status_code == 200
    second = _logged_in("gera.localhost", "/cms/login/", "vertretung@gera.example")
    assert second.post("/cms/zwei-faktor/", {"code": codes[0], "next": "/cms/"}).status_code == 400
    assert second.post("/cms/zwei-faktor/", {"code": codes[1], "next": "/cms/"}).status_code == 302


def test_editors_may_work_without_a_second_factor(gera: Any) -> None:
    with schema_context("gera"):
        editor = User.objects.create_user("redaktion@gera.example", "redaktion@gera.example", PASSWORD, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
    client = _logged_in("gera.localhost", "/cms/login/", "redaktion@gera.example")
    assert client.get("/cms/").status_code == 200
    assert client.get("/cms/zwei-faktor/einrichten/").status_code == 200  # but may enrol


def test_office_administrators_must_enrol_and_then_enter_codes(gera: Any) -> None:
    with schema_context("public"):
        user = User.objects.create_user("leitung@office.example", "leitung@office.example", PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="Office administrators"))
    client = _logged_in("localhost", "/office/login/", "leitung@office.example")
    sent = client.get("/office/")
    assert sent.status_code == 302 and sent["Location"].startswith("/office/zwei-faktor/einrichten/")
    device, _codes = _enrolled("public", user)
    again = _logged_in("localhost", "/office/login/", "leitung@office.example")
    assert again.get("/office/")["Location"].startswith("/office/zwei-faktor/?next=")
    assert again.post("/office/zwei-faktor/", {"code": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert again.get("/office/").status_code == 200


def test_guessing_codes_is_locked_out_like_guessing_passwords(gera: Any) -> None:
    user = _admin("gera", "ziel@gera.example")
    device, codes = _enrolled("gera", user)
    client = _logged_in("gera.localhost", "/cms/login/", "ziel@gera.example")
    wrong = f"{(totp(device.bin_key) + 7) % 1_000_000:06d}"
    answers = [
        client.post("/cms/zwei-faktor/", {"code": wrong}).status_code
        for _n in range(django_settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [400] * (django_settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert client.post("/cms/zwei-faktor/", {"code": codes[0]}).status_code == 429
    assert client.get("/cms/pages/").status_code == 302  # still not through


def test_a_second_factor_passed_on_gera_is_worthless_on_wurzen(gera: Any, wurzen: Any) -> None:
    user = _admin("gera", "doppelt@example.org")
    _admin("wurzen", "doppelt@example.org")
    _device, codes = _enrolled("gera", user)
    client = _logged_in("gera.localhost", "/cms/login/", "doppelt@example.org")
    assert client.post("/cms/zwei-faktor/", {"code": codes[0]}).status_code == 302
    other = Client(HTTP_HOST="wurzen.localhost", REMOTE_ADDR="203.0.113.20")
    other.cookies = client.cookies
    assert other.get("/cms/pages/").status_code == 302
    assert not other.get("/cms/pages/")["Location"].startswith("/cms/pages")


def test_a_citizen_account_has_no_second_factor_pages_and_gets_no_device(gera: Any) -> None:
    with schema_context("gera"):
        citizen = User.objects.create_user("erika@example.org", "erika@example.org", PASSWORD)
        client = Client(HTTP_HOST="gera.localhost")
        client.force_login(citizen)
    assert client.get("/cms/zwei-faktor/einrichten/").status_code == 404
    assert client.get("/cms/zwei-faktor/").status_code == 404
    with schema_context("gera"):
        assert not TOTPDevice.objects.filter(user__username="erika@example.org").exists()
