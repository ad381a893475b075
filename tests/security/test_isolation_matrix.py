"""Nothing of Gera is reachable from Wurzen: every URL pattern and API operation, filled with Gera's ids.

Gera gets one object of each kind the URL conf names (application, report, photo, idea, consultation with a
statement, project, office with appointment calendar and booking, data set with a file, page, image, document,
collection, users, group, local service and its desk, OIDC and SAML providers, a linked identity, a Postfach
message, a password-reset token, parking zone, text template, signature, Demo-Melderegister entry, mobile visit with
a booking, home-visit request, …), each carrying a marker that exists nowhere else; the platform office's service
bundle carries it too, since none of the callers is office staff. Then
every pattern of both URL confs (``amtsplatz.urls_tenant`` incl. Wagtail's ``/cms/``, ``amtsplatz.urls_public``
incl. the office console) is requested with GET, and every API operation with its own method, with the ids of
Gera's objects in its parameters (tests/security/isolation_matrix.py says which), as four callers:

* anonymous,
* Wurzen's administrator (logged in on Wurzen),
* a Gera citizen (Gera's session cookie and citizen token),
* Gera's administrator (Gera's session cookie),

on Wurzen's host (tenant URL conf) and on the platform host (public URL conf). A **leak** is an answer 2xx that
contains a Gera marker: any of them on Wurzen's host; on the platform host any but the published data set's,
which the platform's open-data catalogue shows by design. A pattern without an entry in the matrix fails.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve
from django_tenants.utils import schema_context
from PIL import Image as PillowImage

from amtsplatz.office import roles as office_roles
from applications.models import Payment, ServiceDesk
from appointments import services as appointment_services
from citizens.identity import email_token
from participation import services as participation
from participation.models import Space
from tests.applications.conftest import file_dog, offer
from tests.appointments.conftest import at, calendar, next_weekday
from tests.opendata.conftest import add_file, make_dataset
from tests.participation.conftest import category, citizen, jpeg_with_gps, space
from tests.security.isolation_matrix import parameter_kinds
from tests.security.urlconf import routes

pytestmark = pytest.mark.django_db
PRIVATE = "geraprivat4711"  # in every Gera object that only Gera's portal may show
PUBLISHED = "geraoffen4711"  # in Gera's published data set, which the platform's catalogue lists by design
WURZEN, PLATFORM = "wurzen.localhost", "localhost"


def _png() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def _wagtail_objects(values: dict[str, str]) -> None:
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Collection, Page, Site

    from cms.models import ContentPage

    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=ContentPage(title=f"Seite {PRIVATE}", slug=PRIVATE, intro=PRIVATE, live=False))
    revision = page.save_revision()
    collection = Collection.get_first_root_node().add_child(name=f"Sammlung {PRIVATE}")
    image = Image.objects.create(title=f"Bild {PRIVATE}", file=ContentFile(_png(), name=f"{PRIVATE}.png"))
    document = Document.objects.create(
        title=f"Dokument {PRIVATE}", file=ContentFile(PRIVATE.encode(), name=f"{PRIVATE}.txt"), collection=collection
    )
    values.update(
        page=str(page.pk), page_path=f"{PRIVATE}/", revision=str(revision.pk), collection=str(collection.pk),
        image=str(image.pk), document=str(document.pk), document_file=document.filename,
        page_app="cms", page_model="contentpage", site=str(Site.objects.get(is_default_site=True).pk),
        media_path=document.file.name,
    )  # fmt: skip
    assert Page.objects.filter(pk=page.pk).exists()


def _participation(values: dict[str, str]) -> None:
    author = citizen("gera", f"Buerger{PRIVATE}", f"{PRIVATE}@example.org")
    report_category = category("gera", slug=f"kategorie-{PRIVATE}")
    ideas = space("gera", Space.Kind.IDEAS, f"ideen-{PRIVATE}", premoderation=False)
    consultation = space("gera", Space.Kind.CONSULTATION, f"verfahren-{PRIVATE}", premoderation=False)
    with schema_context("gera"):
        photo = SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")
        report = participation.report_file(
            participant=author, category=report_category, description=f"Schlagloch {PRIVATE}", address="Sorge 1",
            photos=[photo],
        )  # fmt: skip
        participation.moderation_approve(item=report, actor=None)
        idea = participation.idea_propose(participant=author, space=ideas, title=f"Idee {PRIVATE}", text=PRIVATE)
        statement = participation.statement_post(participant=author, space=consultation, text=f"Meinung {PRIVATE}")
        project = participation.project_start(
            idea=idea, participant=author, title=f"Projekt {PRIVATE}", summary=PRIVATE, motivation=PRIVATE,
            skills=PRIVATE,
        )  # fmt: skip
        values.update(
            report=str(report.pk), photo=str(report.photos.get().pk), space=ideas.slug, idea=str(idea.pk),
            idea_kind="idea", consultation=consultation.slug, consultation_pk=str(consultation.pk),
            statement=str(statement.pk), project=str(project.pk), participant=str(author.pk),
            space_pk=str(ideas.pk), category=str(report_category.pk), citizen_user=str(author.user.pk),
        )  # fmt: skip


def _new_kinds(values: dict[str, str], office: Any, parking: Any) -> None:
    """Gera's objects of the kinds the later merges added: login identities and providers, the Postfach, decision
    letter settings, parking zones, text templates, signatures, the Demo-Melderegister, mobile visits, home visits."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.cache import cache
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from applications.models import (
        DecisionLetterSettings,
        DemoResident,
        ParkingZone,
        ParkingZoneStreet,
        ReasonTemplate,
        StaffProfile,
    )
    from appointments.models import HomeVisitRequest, Visit, VisitBooking
    from citizens.login_methods.bundid import _pending_key
    from citizens.models import Identity, OidcProvider, PostboxMessage, Profile, SamlIdentityProvider
    from offices.models import ContactRequest

    with schema_context("gera"):
        citizen_user = User.objects.get(pk=values["citizen_user"])
        provider = OidcProvider.objects.create(
            name=f"OIDC {PRIVATE}", slug=f"oidc-{PRIVATE}", issuer="https://id.gera.example", client_id=PRIVATE
        )
        saml = SamlIdentityProvider.objects.create(
            name=f"BundID {PRIVATE}", metadata_url="https://bundid.gera.example/metadata"
        )
        Identity.objects.create(user=citizen_user, method="oidc", provider=provider.slug, subject=PRIVATE)
        Profile.objects.create(user=citizen_user, given_name=PRIVATE, family_name=PRIVATE, street=PRIVATE)
        resetting = User.objects.create_user(f"reset-{PRIVATE}@example.org", f"reset-{PRIVATE}@example.org", "x-G-2026")
        message = PostboxMessage.objects.create(user=citizen_user, subject=f"Nachricht {PRIVATE}", body=PRIVATE)
        pending = f"bundid{PRIVATE}"
        cache.set(_pending_key(pending), {"request_id": PRIVATE, "login": {}}, 3600)
        letters = DecisionLetterSettings.load()
        letters.objection_email = f"{PRIVATE}@gera.example"
        letters.save()
        zone = ParkingZone.objects.create(code="G1", name=f"Zone {PRIVATE}")
        ParkingZoneStreet.objects.create(zone=zone, street=f"Strasse {PRIVATE}")
        reason = ReasonTemplate.objects.create(service=parking, title=f"Baustein {PRIVATE}", text=PRIVATE)
        signature = StaffProfile.objects.create(
            user=User.objects.get(pk=values["gera_admin"]), display_name=f"Zeichnung {PRIVATE}", office=PRIVATE
        )
        resident = DemoResident.objects.create(
            given_names=PRIVATE, family_name=PRIVATE, birth_date=date(1970, 1, 1), street_and_number=PRIVATE,
            postcode="07545", city="Gera",
        )  # fmt: skip
        office.counters.update(name=f"Schalter {PRIVATE}")
        visit = Visit.objects.create(
            office=office.office, place=f"Heim {PRIVATE}", street=PRIVATE, postcode="07545", city="Gera",
            day=date.today() + timedelta(days=5), start=time(10), end=time(12), note_de=PRIVATE,
        )  # fmt: skip
        visit.services.set(office.office.services.all())
        visit_booking = VisitBooking.objects.create(
            visit=visit, service_keys=["bewohnerparkausweis"], name=PRIVATE, email=f"{PRIVATE}@example.org"
        )
        home_visit = HomeVisitRequest.objects.create(
            office=office.office, name=PRIVATE, email=f"{PRIVATE}@example.org", street=PRIVATE, postcode="07545",
            city="Gera", service_keys=["bewohnerparkausweis"], message=PRIVATE,
        )  # fmt: skip
        contact = ContactRequest.objects.create(
            office=office.office, name=PRIVATE, email=f"{PRIVATE}@example.org", subject=PRIVATE, message=PRIVATE
        )
        values.update(
            oidc_provider=str(provider.pk), oidc_slug=provider.slug, saml_provider=str(saml.pk),
            login_method="oidc", postbox_message=str(message.pk), saml_pending=pending,
            citizen_uidb64=urlsafe_base64_encode(force_bytes(resetting.pk)),
            password_token=default_token_generator.make_token(resetting), parking_zone=str(zone.pk),
            reason_template=str(reason.pk), staff_profile=str(signature.pk), demo_resident=str(resident.pk),
            calendar_pk=str(office.pk), counter_pk=str(office.counters.get().pk), visit=str(visit.pk),
            visit_booking=str(visit_booking.pk), visit_token=visit_booking.token, home_visit=str(home_visit.pk),
            contact_request=str(contact.pk),
        )  # fmt: skip
    with schema_context("public"):  # the office's, shown to the platform's office staff only (none of the callers)
        from amtsplatz.office.models import ServiceBundle

        bundle = ServiceBundle.objects.create(name=f"Paket {PRIVATE}", kind="kreisfrei")
        values["bundle"] = str(bundle.pk)


def gera_values(gera: Any) -> dict[str, str]:
    """Gera's objects, one of each kind the matrix names, as the values that fill URL parameters."""
    values = {"number": "1", "word": "x", "schema": "gera", "ckan_action": "package_list", "catalogue_suffix": "ttl"}
    parking = offer("gera", "bewohnerparkausweis")
    offer("gera", "hundesteuer-anmeldung")
    office = calendar("gera", f"Amt {PRIVATE}", services=("bewohnerparkausweis",))
    with schema_context("gera"):
        application = file_dog(email=f"{PRIVATE}@example.org")
        application.data = {**application.data, "hundename": PRIVATE}
        application.save(update_fields=["data"])
        payment = Payment.objects.create(application=application, provider="test", amount=Decimal("30.70"))
        desk, _created = ServiceDesk.objects.get_or_create(service=parking)
        booking = appointment_services.booking_reserve(
            calendar=office, start=at(next_weekday(1), 9), service_keys=["bewohnerparkausweis"],
            email=f"{PRIVATE}@example.org", name=PRIVATE,
        )  # fmt: skip
        admin = User.objects.create_superuser(f"admin-{PRIVATE}", f"admin-{PRIVATE}@example.org", "x-Geheim-2026")
        group = Group.objects.create(name=f"Gruppe {PRIVATE}")
        values.update(
            application=str(application.public_id), application_token=application.access_token,
            application_reference=application.reference or "", payment=str(payment.public_id),
            service="bewohnerparkausweis", local_service=str(parking.pk), service_desk=str(desk.pk),
            office=office.office.slug, office_pk=str(office.office.pk), booking=str(booking.public_id),
            booking_token=booking.token, booking_pk=str(booking.pk), user=str(admin.pk), group=str(group.pk),
            signed_token=email_token(f"{PRIVATE}@example.org"), gera_admin=str(admin.pk),
        )  # fmt: skip
        _wagtail_objects(values)
    _participation(values)
    _new_kinds(values, office, parking)
    published = make_dataset(gera, f"daten-{PUBLISHED}", title=f"Daten {PUBLISHED}")
    make_dataset(gera, f"entwurf-{PRIVATE}", published=False, title=f"Entwurf {PRIVATE}")
    distribution = add_file(gera, published)
    values.update(dataset=published.slug, dataset_pk=str(published.pk), distribution=str(distribution.pk))
    return {key: value for key, value in values.items() if value}


@dataclass
class Caller:
    """A client with its login; logged in again whenever a swept URL (a log-out) ended its session."""

    client: Client
    schema: str | None = None
    user_id: str | None = None
    session: str = ""

    def ready(self) -> Client:
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if self.schema and self.user_id and (cookie is None or cookie.value != self.session):
            with schema_context(self.schema):
                self.client.force_login(User.objects.get(pk=self.user_id))
            self.session = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.client


def _callers(values: dict[str, str]) -> dict[str, Caller]:
    with schema_context("wurzen"):
        wurzen_admin = User.objects.create_superuser("admin-wurzen", "admin@wurzen.example", "x-Geheim-2026")
    with schema_context("gera"):
        token = email_token(f"{PRIVATE}@example.org")
    return {
        "anonymous": Caller(Client(raise_request_exception=False)),
        "Wurzen's administrator": Caller(Client(raise_request_exception=False), "wurzen", str(wurzen_admin.pk)),
        "a Gera citizen": Caller(
            Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}"), "gera", values["citizen_user"]
        ),
        "Gera's administrator": Caller(Client(raise_request_exception=False), "gera", values["gera_admin"]),
    }


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace").lower()
    return response.content.decode(errors="replace").lower()


def _leaks(response: Any, markers: tuple[str, ...]) -> bool:
    return 200 <= response.status_code < 300 and any(marker in _body(response) for marker in markers)


def _requests(urlconf: str, values: dict[str, str], unmapped: list[str]) -> list[tuple[str, str]]:
    """(method, path) for every pattern of ``urlconf``, with Gera's values in its parameters."""
    found: list[tuple[str, str]] = []
    for route in routes(urlconf):
        kinds = parameter_kinds(route.name, route.route, route.parameters)
        if isinstance(kinds, str):
            unmapped.append(kinds)
            continue
        if any(kind not in values for kind in kinds.values()):
            unmapped.append(f"{route.name}: no Gera value for {sorted(set(kinds.values()) - set(values))}")
            continue
        found.append(("GET", route.path_with({name: values[kind] for name, kind in kinds.items()})))
    return found


def _api_requests(client: Client, host: str, urlconf: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """Every operation of ``host``'s API with its own method, parameters from the matrix (by its URL name)."""
    found: list[tuple[str, str]] = []
    spec = client.get("/api/v1/openapi.json", HTTP_HOST=host).json()
    for template, operations in spec["paths"].items():
        probe = template.replace("{", "").replace("}", "")
        try:
            match = resolve(probe, urlconf)
        except Resolver404:
            continue
        route = next(r for r in routes(urlconf) if r.name == match.view_name)
        kinds = parameter_kinds(route.name, route.route, route.parameters)
        assert isinstance(kinds, dict), kinds
        path = template
        for name, kind in kinds.items():
            path = path.replace("{" + name + "}", values[kind])
        found.extend((method.upper(), path) for method in operations)
    return found


def test_nothing_of_gera_is_reachable_from_wurzen_or_the_platform(gera: Any, wurzen: Any) -> None:
    values = gera_values(gera)
    callers = _callers(values)
    unmapped: list[str] = []
    plan = {
        WURZEN: _requests("amtsplatz.urls_tenant", values, unmapped),
        PLATFORM: _requests("amtsplatz.urls_public", values, unmapped),
    }
    assert unmapped == [], "\n".join(unmapped)
    anonymous = callers["anonymous"].ready()
    plan[WURZEN] += _api_requests(anonymous, WURZEN, "amtsplatz.urls_tenant", values)
    plan[PLATFORM] += _api_requests(anonymous, PLATFORM, "amtsplatz.urls_public", values)
    bodies = {  # what the API's writes get: Gera's service and office, which Wurzen must not know
        "/api/v1/applications": {"service": "bewohnerparkausweis", "data": {"hundename": PRIVATE}},
        "/api/v1/appointments/reservations": {
            "office": values["office"], "services": ["bewohnerparkausweis"], "start": "2030-01-07T09:00:00+01:00",
            "email": "a@example.org", "pow_challenge": "x", "pow_nonce": "1",
        },
        "/api/v1/email-verifications": {"email": f"{PRIVATE}@example.org"},
    }  # fmt: skip
    leaks: list[str] = []
    for host, requests in plan.items():
        markers = (PRIVATE, PUBLISHED) if host == WURZEN else (PRIVATE,)
        for who, caller in callers.items():
            for method, path in dict.fromkeys(requests):
                if path.startswith("/cms/failwhale"):  # Wagtail's error test page raises on purpose
                    continue
                body = json.dumps(bodies.get(path, {})) if method != "GET" else ""
                response = caller.ready().generic(method, path, body, "application/json", HTTP_HOST=host)
                if _leaks(response, markers):
                    leaks.append(f"{response.status_code} {method} {host}{path} as {who}")
    assert leaks == [], "\n".join(leaks)
    # The markers are real: Gera's own host shows them to Gera's administrator.
    gera_admin = callers["Gera's administrator"].ready()
    assert PRIVATE in _body(gera_admin.get(f"/cms/pages/{values['page']}/edit/", HTTP_HOST="gera.localhost"))
    assert PRIVATE in _body(gera_admin.get(f"/beteiligung/maengel/{values['report']}/", HTTP_HOST="gera.localhost"))
    for path in (
        f"/cms/snippets/appointments/homevisitrequest/inspect/{values['home_visit']}/",
        f"/cms/snippets/offices/contactrequest/inspect/{values['contact_request']}/",
        f"/cms/snippets/appointments/counter/edit/{values['counter_pk']}/",
        f"/cms/signatures/edit/{values['staff_profile']}/",
    ):  # fmt: skip
        assert PRIVATE in _body(gera_admin.get(path, HTTP_HOST="gera.localhost")), path
    gera_citizen = callers["a Gera citizen"].ready()
    for path in (f"/konto/postfach/{values['postbox_message']}/", f"/termine/mobil/platz/{values['visit_token']}/"):
        assert PRIVATE in _body(gera_citizen.get(path, HTTP_HOST="gera.localhost")), path
    reset = f"/konto/passwort/{values['citizen_uidb64']}/{values['password_token']}/"
    assert Client().get(reset, HTTP_HOST="gera.localhost").status_code == 200
    with schema_context("public"):  # the platform's office staff (none of the callers) see the bundle
        office_admin = User.objects.create_user("office-admin@example.org", is_staff=True)
        office_admin.groups.add(Group.objects.get(name=office_roles.OFFICE_ADMIN))
        office_client = Client()
        office_client.force_login(office_admin)
    assert PRIVATE in _body(office_client.get(f"/office/bundles/{values['bundle']}/", HTTP_HOST=PLATFORM))
