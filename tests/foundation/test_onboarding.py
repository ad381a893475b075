"""Creating and deleting municipalities by cloning the template schema."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Site

from cms.models import AccessibilityStatementPage, EasyLanguagePage, HomePage, LegalPage
from tenants.models import Domain, Municipality
from tenants.services import municipality_create
from themes.models import Branding

AUGUSTUSBURG = {
    "name": "Stadt Augustusburg",
    "slug": "augustusburg",
    "domain": "augustusburg.localhost",
    "ags": "14522020",
    "state": "14",
    "admin_email": "it@augustusburg.example",
}

pytestmark = pytest.mark.django_db


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


def _create(**overrides: Any) -> Any:
    return municipality_create(**{**AUGUSTUSBURG, **overrides})


def test_clone_fixes_site_pages_branding_and_creates_admin() -> None:
    result = _create(primary_colour="#2e6b30")
    assert result.set_password_url.startswith("http://augustusburg.localhost:8000/cms/password_reset/confirm/")
    with schema_context("augustusburg"):
        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.port, site.site_name) == (
            "augustusburg.localhost",
            8000,
            "Stadt Augustusburg",
        )
        home = HomePage.objects.get()
        assert site.root_page_id == home.pk
        assert home.title == "Stadt Augustusburg"
        assert set(LegalPage.objects.child_of(home).values_list("kind", flat=True)) == {"impressum", "datenschutz"}
        assert AccessibilityStatementPage.objects.child_of(home).live().count() == 1
        assert EasyLanguagePage.objects.child_of(home).live().count() == 1
        assert set(home.get_children().values_list("slug", flat=True)) == {
            "rathaus",
            "leistungen",
            "aktuelles",
            "kontakt",
            "suche",
            "impressum",
            "datenschutz",
            "barrierefreiheit",
            "leichte-sprache",
        }
        assert Branding.for_site(site).primary_colour == "#2e6b30"
        admin = get_user_model().objects.get()
        assert (admin.email, admin.is_superuser, admin.has_usable_password()) == (
            "it@augustusburg.example",
            True,
            False,
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ags": "1452202"}, "ags"),
        ({"ags": "99522020", "state": "14"}, "ags"),
        ({"ags": "16052000", "state": "14"}, "ags"),
        ({"slug": "public"}, "slug"),
        ({"slug": "Augustus Burg"}, "slug"),
        ({"domain": "http://augustusburg.localhost/"}, "domain"),
        ({"domain": "localhost"}, "domain"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_created(overrides: dict[str, str], field: str) -> None:
    schemas_before = _schemas()
    municipalities_before = Municipality.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        _create(**overrides)
    assert field in excinfo.value.message_dict
    assert Municipality.objects.count() == municipalities_before
    assert _schemas() == schemas_before


def test_duplicate_slug_and_domain_are_refused(gera: Municipality) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _create(slug="gera", domain="gera.localhost", ags="16052001", state="16")
    assert {"slug", "domain"} <= set(excinfo.value.message_dict)
    assert Municipality.objects.filter(slug="gera").count() == 1


def test_failure_after_cloning_leaves_nothing_half_created(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_branding(**kwargs: Any) -> None:
        raise RuntimeError("storage unavailable")

    monkeypatch.setattr("themes.hooks_tenants.branding_set", broken_branding)
    with pytest.raises(RuntimeError):
        _create()
    assert not Municipality.objects.filter(slug="augustusburg").exists()
    assert not Domain.objects.filter(domain="augustusburg.localhost").exists()
    assert not schema_exists("augustusburg")


def test_cli_reports_every_problem_in_plain_words() -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "create_municipality",
            "--name",
            "X",
            "--slug",
            "public",
            "--domain",
            "x.localhost",
            "--ags",
            "123",
            "--admin-email",
            "it@x.example",
            "--state",
            "14",
        )
    message = str(excinfo.value)
    assert "Nothing was created" in message or "Es wurde nichts angelegt" in message
    assert "slug" in message and "ags" in message


def test_delete_requires_confirmation_then_drops_schema() -> None:
    _create()
    with pytest.raises(CommandError):
        call_command("delete_municipality", "augustusburg")
    assert schema_exists("augustusburg")
    with pytest.raises(CommandError, match="without-export"):
        call_command("delete_municipality", "augustusburg", "--confirm", "augustusburg")
    assert schema_exists("augustusburg")
    call_command("delete_municipality", "augustusburg", "--confirm", "augustusburg", "--without-export")
    assert not schema_exists("augustusburg")
    assert not Municipality.objects.filter(slug="augustusburg").exists()


def test_validation_messages_in_german_and_english() -> None:
    from django.utils import translation

    with translation.override("de"), pytest.raises(ValidationError) as german:
        _create(ags="123")
    assert "genau 8 Ziffern" in " ".join(german.value.message_dict["ags"])
    with translation.override("en"), pytest.raises(ValidationError) as english:
        _create(ags="123")
    assert "exactly 8 digits" in " ".join(english.value.message_dict["ags"])
