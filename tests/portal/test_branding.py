"""Branding: contrast validation, and each municipality's branding only on its own pages, e-mails and letters."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context
from pypdf import PdfReader
from wagtail.models import Site

from applications.decision_documents import decision_document
from applications.documents import render_decision_html, render_decision_pdf
from citizens import notifications
from tenants.models import Municipality
from tests.applications.conftest import file_dog, offer
from themes.contrast import contrast_failures, contrast_ratio
from themes.demo_images import demo_images_ensure
from themes.models import Branding
from themes.services import branding_set

pytestmark = pytest.mark.django_db
ACCESSIBLE = {"primary_colour": "#00529c", "secondary_colour": "#e8f1fa", "accent_colour": "#a4282f"}
LOOKS = {
    "gera": {"name": "Stadt Gera", "theme": "rathaus", "font": "source-sans-3", **ACCESSIBLE},
    "wurzen": {
        "name": "Stadt Wurzen",
        "theme": "klar",
        "font": "atkinson-hyperlegible",
        "primary_colour": "#8a1538",
        "secondary_colour": "#f8eef0",
        "accent_colour": "#1d5a85",
    },
}


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),
        ("#777777", "#ffffff", 4.48),
    ],
)
def test_contrast_ratio_follows_wcag(first: str, second: str, expected: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(second, first) == pytest.approx(expected, abs=0.01)


def test_accessible_colours_pass() -> None:
    assert contrast_failures(ACCESSIBLE) == []
    Branding(**ACCESSIBLE).clean()


def test_a_light_primary_colour_fails_with_the_pair_and_the_shortfall() -> None:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        Branding(**{**ACCESSIBLE, "primary_colour": "#7fa0c0"}).clean()
    messages = raised.value.message_dict
    assert set(messages) == {"primary_colour"}
    assert "white text on the primary colour" in messages["primary_colour"][0]
    assert "#ffffff on #7fa0c0 reaches 2.73:1, WCAG AA needs 4.5:1 (1.77 too little)" in messages["primary_colour"][0]


def test_the_message_is_german_by_default() -> None:
    with translation.override("de"), pytest.raises(ValidationError) as raised:
        Branding(**{**ACCESSIBLE, "accent_colour": "#ff8c00"}).clean()
    message = raised.value.message_dict["accent_colour"][0]
    assert "weiße Schrift auf der Akzentfarbe" in message and "4,5:1" in message


def test_a_dark_secondary_colour_fails_for_body_text_and_links() -> None:
    failures = contrast_failures({**ACCESSIBLE, "secondary_colour": "#5a5a5a"})
    assert {(failure.pair.foreground, failure.pair.minimum) for failure in failures} == {
        ("#1b1b1b", 4.5),  # body text on the secondary colour
        ("primary_colour", 4.5),  # links on the secondary colour
        ("accent_colour", 3.0),  # buttons (UI components) on the secondary colour
    }


def test_large_text_and_ui_pairs_need_only_three_to_one() -> None:
    # #d9480f as accent on a white secondary colour: 4.5:1 fails for its white button text, 3:1 for UI passes.
    failures = contrast_failures({**ACCESSIBLE, "secondary_colour": "#ffffff", "accent_colour": "#d9480f"})
    assert [(failure.pair.foreground, failure.pair.background) for failure in failures] == [
        ("#ffffff", "accent_colour")
    ]


def test_branding_set_refuses_bad_contrast_and_keeps_what_was_stored(gera: Municipality) -> None:
    with schema_context("gera"):
        site = Site.objects.get(is_default_site=True)
        before = Branding.for_site(site).primary_colour
        with pytest.raises(ValidationError):
            branding_set(site=site, municipality_name="Stadt Gera", primary_colour="#ffff00")
        assert Branding.objects.get(site=site).primary_colour == before


def _admin_client(municipality: Municipality) -> Client:
    from django.contrib.auth import get_user_model

    with schema_context(municipality.schema_name):
        admin = get_user_model().objects.get(is_superuser=True)
    client = Client(HTTP_HOST=municipality.get_primary_domain().domain)
    with schema_context(municipality.schema_name):
        client.force_login(admin)
    return client


def test_the_settings_form_explains_the_failing_pair(gera: Municipality) -> None:
    client = _admin_client(gera)
    with schema_context("gera"):
        site = Site.objects.get(is_default_site=True)
        stored = Branding.for_site(site).primary_colour
    url = f"/cms/settings/themes/branding/{site.pk}/"
    form = {
        "municipality_name": "Stadt Gera",
        "theme": "rathaus",
        "font": "system",
        "primary_colour": "#9fb8d0",
        "secondary_colour": "#f2f5f8",
        "accent_colour": "#a4282f",
        "header_links-count": "0",
        "social_links-count": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the error (the admin speaks German here)
    assert "Zu wenig Kontrast für weiße Schrift auf der Primärfarbe" in response.content.decode()
    with schema_context("gera"):
        assert Branding.objects.get(site=site).primary_colour == stored

    response = client.post(url, {**form, "primary_colour": "#0b3d6b"})
    assert response.status_code == 302
    with schema_context("gera"):
        assert Branding.objects.get(site=site).primary_colour == "#0b3d6b"


def _look(municipality: Municipality) -> dict[str, str]:
    look = LOOKS[municipality.schema_name]
    with schema_context(municipality.schema_name):
        branding_set(
            site=Site.objects.get(is_default_site=True),
            municipality_name=look["name"],
            **{key: value for key, value in look.items() if key != "name"},
        )
        demo_images_ensure(municipality.schema_name)
    return look


def _foreign(own: str) -> dict[str, str]:
    return LOOKS["wurzen" if own == "gera" else "gera"]


@pytest.fixture
def looks(gera: Municipality, wurzen: Municipality) -> dict[str, Municipality]:
    _look(gera)
    _look(wurzen)
    return {"gera": gera, "wurzen": wurzen}


def _assert_own_branding_only(text: str, own: str, *, with_theme: bool = True) -> None:
    mine, other = LOOKS[own], _foreign(own)
    assert mine["name"] in text and mine["primary_colour"] in text
    if with_theme:
        assert f"themes/{mine['theme']}/theme.css" in text and f"fonts/{mine['font']}/" in text
    for key in ("name", "primary_colour", "secondary_colour", "accent_colour"):
        assert other[key] not in text, f"{own} shows {key} of the other municipality"
    assert f"themes/{other['theme']}/theme.css" not in text


@pytest.mark.parametrize("own", ["gera", "wurzen"])
def test_pages_show_only_their_own_branding(looks: dict[str, Municipality], own: str) -> None:
    client = Client(HTTP_HOST=f"{own}.localhost")
    for path in ("/", "/leistungen/", "/rathaus/", "/barrierefreiheit/", "/en/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        _assert_own_branding_only(html, own)
        assert f"/media/{own}/images/wappen-{own}" in html


@pytest.mark.parametrize("own", ["gera", "wurzen"])
def test_emails_show_only_their_own_branding(looks: dict[str, Municipality], own: str) -> None:
    mail.outbox.clear()
    with schema_context(own):
        notifications.magic_link(email="erika@example.org", link="https://example.org/x", purpose="x", language="de")
    message = mail.outbox[-1]
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert LOOKS[own]["name"] in message.body and _foreign(own)["name"] not in message.body
    _assert_own_branding_only(str(html), own, with_theme=False)


@pytest.mark.parametrize("own", ["gera", "wurzen"])
def test_decision_letters_show_only_their_own_branding(looks: dict[str, Municipality], own: str) -> None:
    offer(own, "hundesteuer-anmeldung")
    with schema_context(own):
        document = decision_document(file_dog(), "approve")
        html = render_decision_html(document)
        pdf = render_decision_pdf(document)
    _assert_own_branding_only(html, own, with_theme=False)
    assert 'src="data:image/png;base64,' in html  # the coat of arms
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert LOOKS[own]["name"] in text and _foreign(own)["name"] not in text
