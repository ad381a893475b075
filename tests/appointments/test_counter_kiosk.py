"""At the counter (check-in, call, no-show, walk-in), the waiting-room display, kiosk mode and its reset."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from appointments import kiosk, selectors, services
from appointments.models import Booking, KioskDevice
from tenants.models import Municipality
from tests.appointments.conftest import calendar

pytestmark = pytest.mark.django_db
SERVICE = "meldebescheinigung"


def _staff(schema: str, username: str) -> Client:
    with schema_context(schema):
        user = User.objects.create_user(
            username, f"{username}@example.org", "Ein-Kennwort-fuer-den-Schalter", is_staff=True
        )
        user.user_permissions.add(
            Permission.objects.get(codename="change_booking", content_type__app_label="appointments")
        )
        client = Client(HTTP_HOST=f"{schema}.localhost")
        client.force_login(user)
        return client


def test_check_in_call_next_no_show_walk_in_and_the_display_shows_the_called_number(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Schalter", services=(SERVICE,))
    with schema_context("gera"):
        starts = selectors.availability(cal, minutes=15)[2].starts
        first = services.booking_reserve(calendar=cal, start=starts[0], service_keys=[SERVICE], email="a@example.org")
        second = services.booking_reserve(calendar=cal, start=starts[1], service_keys=[SERVICE], email="b@example.org")
        for booking in (first, second):
            services.booking_confirm(token=booking.token)
        day = timezone.localtime(first.start).date()
    staff = _staff("gera", "schalter")
    office = cal.office.slug
    page = staff.get(f"/termine/schalter/{office}/?tag={day:%Y-%m-%d}")
    assert page.status_code == 200 and "a@example.org" not in page.content.decode()
    assert staff.post(f"/termine/schalter/{office}/{first.pk}/check-in/").status_code == 302
    assert staff.post(f"/termine/schalter/{office}/{second.pk}/no-show/").status_code == 302
    assert staff.post(f"/termine/schalter/{office}/spontan/", {"leistung": SERVICE}).status_code == 302
    with schema_context("gera"):
        first.refresh_from_db()
        assert first.ticket == "A-001" and first.status == Booking.Status.WAITING
        assert Booking.objects.get(pk=second.pk).status == Booking.Status.NO_SHOW
        walk_in = Booking.objects.get(calendar=cal, walk_in=True)
        assert walk_in.ticket == "W-001"
        counter = cal.counters.get()
        # The walk-in arrived after the appointment checked in; the appointment is not due yet, so order of arrival.
        Booking.objects.filter(pk=walk_in.pk).update(checked_in_at=timezone.now() + timedelta(seconds=1))
    assert staff.post(f"/termine/schalter/{office}/aufrufen/", {"counter": counter.pk}).status_code == 302
    with schema_context("gera"):
        assert Booking.objects.get(pk=first.pk).status == Booking.Status.CALLED
    public = Client(HTTP_HOST="gera.localhost")
    display = public.get(f"/termine/anzeige/{office}/").content.decode()
    assert "A-001" in display and 'aria-live="assertive"' in display and "Schalter 1" in display
    state = public.get(f"/termine/anzeige/{office}/stand.json").json()
    assert state["called"][0] == {"ticket": "A-001", "counter": "Schalter 1"} and state["waiting"] == 1
    assert staff.post(f"/termine/schalter/{office}/{first.pk}/done/").status_code == 302
    assert staff.post(f"/termine/schalter/{office}/{first.pk}/done/").status_code == 302  # refused, with a message
    stats = staff.get(f"/termine/schalter/{office}/statistik/")
    assert stats.status_code == 200 and "33 %" in stats.content.decode()  # of three visits (one walk-in), one missed
    assert staff.post(f"/termine/schalter/{office}/{first.pk}/explode/").status_code == 400


def test_counter_pages_need_the_permission_and_stay_in_their_municipality(
    gera: Municipality, wurzen: Municipality
) -> None:
    cal = calendar("gera", "Bürgerbüro Rechte")
    anonymous = Client(HTTP_HOST="gera.localhost")
    assert anonymous.get(f"/termine/schalter/{cal.office.slug}/").status_code == 302
    with schema_context("gera"):
        plain = User.objects.create_user("ohne-recht", "o@example.org", "Ein-Kennwort-ohne-Rechte-1", is_staff=True)
    client = Client(HTTP_HOST="gera.localhost")
    client.force_login(plain)
    assert client.get(f"/termine/schalter/{cal.office.slug}/").status_code == 403
    wurzen_staff = _staff("wurzen", "wurzen-schalter")
    assert wurzen_staff.get(f"/termine/schalter/{cal.office.slug}/").status_code == 404
    assert Client(HTTP_HOST="wurzen.localhost").get(f"/termine/anzeige/{cal.office.slug}/").status_code == 404


def test_kiosk_mode_needs_a_signed_device_token_of_this_municipality(gera: Municipality, wurzen: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Kiosk", services=(SERVICE,))
    with schema_context("gera"):
        device = KioskDevice.objects.create(calendar=cal, name="Terminal Foyer")
        token = kiosk.device_token(device)
    client = Client(HTTP_HOST="gera.localhost")
    assert client.get("/termine/kiosk/").status_code == 403  # no URL anyone can guess turns it on
    assert client.get(f"/termine/kiosk/einrichten/{token[:-3]}xyz/").status_code == 403
    assert Client(HTTP_HOST="wurzen.localhost").get(f"/termine/kiosk/einrichten/{token}/").status_code == 403
    assert client.post(f"/termine/kiosk/einrichten/{token}/").status_code == 302
    home = client.get("/termine/kiosk/")
    assert home.status_code == 200 and "Bürgerbüro Kiosk" in home.content.decode()
    ticket = client.post("/termine/kiosk/ticket/", {"leistung": SERVICE})
    assert ticket.status_code == 200 and "W-001" in ticket.content.decode()
    assert client.post("/termine/kiosk/ticket/", {"leistung": "unbekannt"}).status_code == 400
    with schema_context("gera"):
        KioskDevice.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
    assert client.get("/termine/kiosk/").status_code == 403


def test_kiosk_inactivity_reset_clears_the_session(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Reset", services=(SERVICE,))
    with schema_context("gera"):
        token = kiosk.device_token(KioskDevice.objects.create(calendar=cal, name="Terminal 2"))
        citizen = User.objects.create_user("buerger-kiosk", "k@example.org", "Ein-Kennwort-am-Terminal-1")
    client = Client(HTTP_HOST="gera.localhost")
    client.post(f"/termine/kiosk/einrichten/{token}/")
    with schema_context("gera"):
        client.force_login(citizen)
    session = client.session
    session["draft"] = "Halbfertiger Antrag"
    session.save()
    page = client.get("/termine/kiosk/")
    assert 'data-idle="90"' in page.content.decode() and "data-countdown-text" in page.content.decode()
    assert client.session.get_expire_at_browser_close()  # no persistent login on the terminal
    old_key = client.session.session_key
    assert client.post("/termine/kiosk/ende/").status_code == 302
    assert "draft" not in client.session and "_auth_user_id" not in client.session
    assert client.session.session_key != old_key
    assert client.get("/termine/kiosk/").status_code == 200  # still a kiosk: the device cookie stays


def test_the_municipality_adds_and_revokes_terminals(gera: Municipality) -> None:
    cal = calendar("gera", "Bürgerbüro Terminals", services=(SERVICE,))
    staff = _staff("gera", "terminal-admin")
    path = f"/termine/schalter/{cal.office.slug}/terminals/"
    assert staff.get(path).status_code == 403  # working the counter is not enough
    with schema_context("gera"):
        user = User.objects.get(username="terminal-admin")
        user.user_permissions.add(Permission.objects.get(codename="add_kioskdevice"))
    assert staff.post(path, {"name": "Terminal Eingang"}).status_code == 302
    link = next(word for word in staff.get(path).content.decode().split() if "/termine/kiosk/einrichten/" in word)
    activation = link.split("gera.localhost", 1)[1].split("<", 1)[0]
    terminal = Client(HTTP_HOST="gera.localhost")
    assert terminal.post(activation).status_code == 302 and terminal.get("/termine/kiosk/").status_code == 200
    with schema_context("gera"):
        device = KioskDevice.objects.get(calendar=cal)
    assert staff.post(path, {"revoke": device.pk}).status_code == 302
    assert terminal.get("/termine/kiosk/").status_code == 403


def test_every_online_service_on_the_kiosk_without_a_persistent_login_and_with_the_reset_bar(
    gera: Municipality, wurzen: Municipality
) -> None:
    online = "hundesteuer-anmeldung"
    cal = calendar("gera", "Bürgerbüro Antrag", services=(SERVICE, online))
    calendar("wurzen", "Bürgerbüro Antrag", services=(online,))
    with schema_context("gera"):
        token = kiosk.device_token(KioskDevice.objects.create(calendar=cal, name="Terminal 3"))
        citizen = User.objects.create_user("antrag-kiosk", "a@example.org", "Ein-Kennwort-am-Terminal-2")
    client = Client(HTTP_HOST="gera.localhost")
    client.post(f"/termine/kiosk/einrichten/{token}/")
    home = client.get("/termine/kiosk/").content.decode()
    assert f'href="/antraege/{online}/"' in home
    with schema_context("gera"):
        client.force_login(citizen)
    form = client.get(f"/antraege/{online}/", follow=True)  # a logged-in citizen starts a draft at once
    body = form.content.decode()
    assert form.status_code == 200 and 'class="kiosk-bar"' in body and "data-countdown-text" in body
    assert client.session.get_expire_at_browser_close()  # an application started on the terminal: no lasting login
    assert body.count('class="kiosk-bar"') == 1
    assert 'class="kiosk-bar"' not in client.get("/termine/kiosk/").content.decode()  # the kiosk's own chrome
    assert 'class="kiosk-bar"' not in Client(HTTP_HOST="gera.localhost").get(f"/antraege/{online}/").content.decode()
    other = Client(HTTP_HOST="wurzen.localhost")
    other.cookies[kiosk.COOKIE] = token  # Gera's terminal cookie means nothing on Wurzen's portal
    assert 'class="kiosk-bar"' not in other.get(f"/antraege/{online}/").content.decode()
