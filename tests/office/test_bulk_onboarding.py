"""Onboarding from a CSV file: refused whole when unreadable, every row checked in a preview, created one per step
by a task after confirmation, a downloadable report, and nothing twice when the same file comes again."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_exists

from amtsplatz.office import roles
from amtsplatz.office.bulk import MAX_ROWS, bulk_check, bulk_confirm, bulk_requeue_stalled, bulk_run
from amtsplatz.office.models import BulkOnboarding, BulkOnboardingRow, OnboardingJob
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

GOOD = (
    "\ufeffName;AGS;Bundesland;Domain;Admin-E-Mail\n"
    "Stadt Rochlitz;14522510;14;rochlitz.localhost;it@rochlitz.example\n"
    "Gemeinde Königsfeld;14522330;Sachsen;koenigsfeld.localhost;it@koenigsfeld.example\n"
)


def upload(client: Client, text: str | bytes, name: str = "gemeinden.csv", **extra: Any) -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return client.post("/office/onboarding/bulk/", {"file": SimpleUploadedFile(name, raw, "text/csv")}, **extra)


@pytest.mark.parametrize(
    ("content", "english", "german"),
    [
        (b"name;ags\xff;state\n", "not UTF-8 encoded", "nicht UTF-8-kodiert"),
        ("name,ags,state,domain\nX,14522510,14,x.localhost\n", "missing: administrator e-mail", "fehlt: Administrator"),
        ("name;ags;state;domain;admin_email\nX;14522510;14\n", "Line 2 has 3 fields instead of 5", "Zeile 2 hat 3"),
        ("name;ags;state;domain;admin_email\n", "names no municipality", "keine Gemeinde"),
        ("", "The submitted file is empty", "Die übertragene Datei ist leer"),
        ("\n \n", "The file is empty", "Die Datei ist leer"),
        ("name;ags;state;domain;admin_email\n" + "X;1;1;x;x\n" * (MAX_ROWS + 1), "more than 2500", "mehr als 2500"),
    ],
)
def test_an_unreadable_file_is_refused_whole_with_a_message(
    admin_client: Client, content: str | bytes, english: str, german: str
) -> None:
    response = upload(admin_client, content, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and english in response.content.decode()
    response = upload(admin_client, content, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400 and german in response.content.decode()
    assert not BulkOnboarding.objects.exists() and not BulkOnboardingRow.objects.exists()


def test_the_preview_checks_every_row(admin_client: Client, gera: Municipality) -> None:
    text = (
        "name,ags,state,domain,admin_email\n"  # commas, no BOM
        "Stadt Rochlitz,14522510,14,rochlitz.localhost,it@rochlitz.example\n"
        "Kaputt,1452251,14,kaputt.localhost,it@kaputt.example\n"  # AGS too short
        "Falsches Land,14522520,09,falsch.localhost,it@falsch.example\n"  # AGS of Saxony, state Bavaria
        "Unbekannt,14522530,Atlantis,unbekannt.localhost,it@unbekannt.example\n"
        "Belegt,14522540,14,gera.localhost,it@belegt.example\n"  # Gera's domain
        "Doppelt,14522510,14,doppelt.localhost,keine-adresse\n"  # AGS of line 2, bad e-mail
        "Schlechte Domain,14522550,14,http://x/,it@x.example\n"
        f"Gera nochmal,{gera.ags},{gera.state},gera2.localhost,it@gera.example\n"  # exists: skipped
    )
    response = upload(admin_client, text)
    bulk = BulkOnboarding.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/office/onboarding/bulk/{bulk.pk}/"
    checks = {check.row.line: check for check in bulk_check(list(bulk.rows.order_by("line")))}
    assert checks[2].will_be_created and checks[2].slug == "rochlitz" and checks[2].state_code == "14"
    assert set(checks[3].errors) == {"ags"}
    assert set(checks[4].errors) == {"ags"}
    assert set(checks[5].errors) == {"state"}
    assert set(checks[6].errors) == {"domain"}
    assert set(checks[7].errors) == {"ags", "admin_email"}
    assert set(checks[8].errors) == {"domain"}
    assert checks[9].existing == gera.name and not checks[9].errors

    english = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 municipality will be created." in english and "6 lines have errors" in english
    assert "The same value appears in line 2 already." in english
    assert "The domain gera.localhost is already in use." in english
    assert f"exists already ({gera.name}): skipped" in english
    german = admin_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Der gleiche Wert steht schon in Zeile 2." in german
    assert "Die Domain gera.localhost wird bereits verwendet." in german
    assert not Municipality.objects.filter(ags="14522510").exists()  # nothing created before confirmation


def test_confirmed_rows_are_created_one_per_step_with_a_report_and_never_twice(
    admin_client: Client,
    office_admin: Any,
    tasks_inline: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    text = GOOD + "=HYPERLINK(\"http://x\");14522999;14;injektion.localhost;=cmd|' /C calc'!A0\n"
    upload(admin_client, text)
    bulk = BulkOnboarding.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/office/onboarding/bulk/{bulk.pk}/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    bulk.refresh_from_db()
    assert bulk.status == "done" and bulk.requested_by == office_admin
    rows = {row.line: row for row in bulk.rows.all()}
    assert (rows[2].status, rows[3].status, rows[4].status) == ("created", "created", "excluded")
    assert rows[2].municipality == Municipality.objects.get(ags="14522510", slug="rochlitz", state="14")
    assert rows[3].municipality == Municipality.objects.get(ags="14522330", slug="koenigsfeld", state="14")
    assert schema_exists("rochlitz") and schema_exists("koenigsfeld")
    assert OnboardingJob.objects.filter(via="csv", status="done").count() == 2
    assert "administrator e-mail" in rows[4].reason

    page = admin_client.get(f"/office/onboarding/bulk/{bulk.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 of 3 lines worked off" in page and 'aria-live="polite"' in page and "report.csv" in page
    report = admin_client.get(f"/office/onboarding/bulk/{bulk.pk}/report.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    assert report["Content-Disposition"].startswith("attachment;")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["line", "name", "AGS"] and len(lines) == 4
    assert lines[1][7] == "created" and lines[3][7] == "not created: errors in the file"
    assert lines[3][1] == '\'=HYPERLINK("http://x")' and lines[3][5] == "'=cmd|' /C calc'!A0"  # no formula runs

    again = upload(admin_client, GOOD)  # the same file once more
    second = BulkOnboarding.objects.exclude(pk=bulk.pk).get()
    assert again.status_code == 302
    preview = admin_client.get(f"/office/onboarding/bulk/{second.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 municipalities will be created." in preview and "2 exist already and will be skipped." in preview
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/office/onboarding/bulk/{second.pk}/confirm/")
    second.refresh_from_db()
    assert second.status == "done" and set(second.rows.values_list("status", flat=True)) == {"skipped"}
    assert Municipality.objects.filter(ags__in=["14522510", "14522330"]).count() == 2
    assert OnboardingJob.objects.filter(via="csv").count() == 2

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        twice = admin_client.post(f"/office/onboarding/bulk/{bulk.pk}/confirm/", HTTP_ACCEPT_LANGUAGE="en")
    assert twice.status_code == 302 and not callbacks
    assert "confirmed already" in admin_client.get(twice["Location"]).content.decode()


def test_a_row_that_became_invalid_after_the_preview_fails_with_its_reason(
    admin_client: Client, gera: Municipality, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    upload(admin_client, GOOD)
    bulk = BulkOnboarding.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(f"/office/onboarding/bulk/{bulk.pk}/confirm/")
    assert len(callbacks) == 1  # the task is queued after the commit
    gera.domains.create(domain="rochlitz.localhost", is_primary=False)  # taken between confirmation and creation
    assert bulk_run(bulk.pk).status == "done"
    first, second = bulk.rows.order_by("line")
    assert first.status == "failed" and "rochlitz.localhost" in first.reason and first.municipality is None
    assert second.status == "created" and not schema_exists("rochlitz")


def test_only_office_roles_that_onboard_may_upload(
    office_user_in: Callable[[str], Any], admin_client: Client, gera_client: Client
) -> None:
    upload(admin_client, GOOD)
    bulk = BulkOnboarding.objects.get()
    editor = Client(HTTP_HOST="localhost")
    editor.force_login(office_user_in(roles.CATALOGUE_EDITOR))
    paths = [f"/office/onboarding/bulk/{bulk.pk}/", f"/office/onboarding/bulk/{bulk.pk}/report.csv"]
    for path in ["/office/onboarding/bulk/", *paths]:
        assert editor.get(path).status_code == 403
        assert gera_client.get(path).status_code == 404  # a municipality's host has no office
        anonymous = Client(HTTP_HOST="localhost").get(path)
        assert anonymous.status_code == 302 and "/office/login/" in anonymous["Location"]
    assert upload(editor, GOOD).status_code == 403
    assert editor.post(f"/office/onboarding/bulk/{bulk.pk}/confirm/").status_code == 403
    assert BulkOnboarding.objects.get().status == "preview" and BulkOnboarding.objects.count() == 1


def test_a_confirmed_upload_whose_task_was_lost_is_queued_again(
    admin_client: Client, gera: Municipality, tasks_inline: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    upload(admin_client, f"name;ags;state;domain;admin_email\n{gera.name};{gera.ags};{gera.state};x.localhost;a@b.de\n")
    bulk = BulkOnboarding.objects.get()
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down: the task never ran
        bulk_confirm(bulk=bulk)
    assert bulk_requeue_stalled() == 0  # just confirmed: its task may still come
    BulkOnboarding.objects.filter(pk=bulk.pk).update(confirmed=timezone.now() - timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert bulk_requeue_stalled() == 1
    bulk.refresh_from_db()
    assert bulk.status == "done" and bulk.rows.get().status == "skipped"
    assert bulk_requeue_stalled() == 0
