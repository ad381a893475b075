"""Fixtures for participation: citizens with pseudonyms, staff with participation permissions, spaces, forms."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image

from participation import antispam
from participation.models import Participant, ReportCategory, Space

PASSWORD = "Ein-sicheres-Kennwort-2026"
NAMES = {"strassenschaden": "Straßenschaden", "beleuchtung": "Beleuchtung"}
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counters live in Redis beyond each test's transaction: every test counts in its own key space."""
    monkeypatch.setattr(antispam, "KEY_PREFIX", f"participation-test-{uuid.uuid4().hex}")


def citizen(schema: str, pseudonym: str, email: str | None = None, *, real_name: str = "") -> Participant:
    """An active citizen account of ``schema`` with its participation profile."""
    with schema_context(schema):
        address = email or f"{pseudonym.lower()}@example.org"
        user = User.objects.create_user(address, address, PASSWORD)
        return Participant.objects.create(user=user, pseudonym=pseudonym, real_name=real_name)


def logged_in(host: str, participant_or_user: Participant | User) -> Client:
    """A client of ``host`` (``<schema>.localhost``) logged in as the given citizen or staff member."""
    client = Client(HTTP_HOST=host)
    user = participant_or_user.user if isinstance(participant_or_user, Participant) else participant_or_user
    with schema_context(host.split(".")[0]):
        client.force_login(user)
    return client


def staff(schema: str, username: str, *permissions: str) -> User:
    """A /cms/ user of ``schema`` whose group holds the given participation permissions."""
    with schema_context(schema):
        group, _created = Group.objects.get_or_create(name=f"Beteiligung {username}")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in permissions:
            group.permissions.add(Permission.objects.get(codename=codename, content_type__app_label="participation"))
        user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
        user.groups.add(group)
        return user


def moderator(schema: str, username: str = "moderation") -> User:
    return staff(schema, username, "moderate", "work_reports", "manage_participation")


def category(schema: str, slug: str = "strassenschaden", office_email: str = "tiefbau@example.org") -> ReportCategory:
    with schema_context(schema):
        found, _created = ReportCategory.objects.get_or_create(
            slug=slug,
            defaults={"name_de": NAMES.get(slug, slug.title()), "name_en": "", "office_name": "Tiefbauamt",
                      "office_email": office_email},
        )  # fmt: skip
        return found


def space(schema: str, kind: str, slug: str, *, premoderation: bool = True, **fields: Any) -> Space:
    with schema_context(schema):
        found, _created = Space.objects.get_or_create(
            slug=slug, defaults={"kind": kind, "title": slug.replace("-", " ").title(), "premoderation": premoderation,
                                 **fields},
        )  # fmt: skip
        return found


def solved(schema: str, bits: int = 4) -> dict[str, str]:
    """The anti-spam fields of a browser that ran the check."""
    with schema_context(schema):
        challenge = antispam.challenge_issue(bits=bits)
    return {"pow_challenge": challenge, "pow_nonce": antispam.solve(challenge), "website": ""}


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif[GPS_IFD] = {1: "N", 2: (50.0, 52.0, 30.0), 3: "E", 4: (12.0, 4.0, 50.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="JPEG", exif=exif, comment=b"Sorge 1, Gera")
    return buffer.getvalue()


@pytest.fixture
def gera_reports(gera: Any) -> Iterator[ReportCategory]:
    yield category("gera")
