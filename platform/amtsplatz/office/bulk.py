"""Onboarding many municipalities from one CSV: upload, preview, confirm, then one municipality per step.

The file (UTF-8 with or without BOM, ``;`` or ``,``) has a header and the columns name, AGS, state, domain and
administrator e-mail. A broken file is refused as a whole (nothing stored); a readable file is stored row by row
and every row is checked whenever the preview is shown. Confirming queues a task that creates the rows without
errors one by one through the ordinary onboarding (``onboarding_request`` + ``onboarding_run``), each in its own
transaction, and records per row what was created, skipped or failed and why. A row whose AGS belongs to an existing
municipality is skipped: the same file uploaded twice creates nothing twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amtsplatz.infra.security.csv_safety import safe_row
from amtsplatz.office.models import BulkOnboarding, BulkOnboardingRow, OnboardingJob
from amtsplatz.office.onboarding import OnboardingInput, failure_reason, onboarding_request, onboarding_run
from tenants.models import Domain, FederalState, Municipality
from tenants.tasks import enqueue_on_commit
from tenants.validators import RESERVED_SLUGS, validate_ags, validate_domain, validate_slug

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2500  # more than the largest federal state has municipalities (Bayern: 2,056); one state per file
COLUMNS = ("name", "ags", "state", "domain", "admin_email")
# Header cells, lower case without blanks and punctuation, in English and German.
HEADERS = {
    "name": "name",
    "gemeinde": "name",
    "gemeindename": "name",
    "ags": "ags",
    "gemeindeschluessel": "ags",
    "gemeindeschlüssel": "ags",
    "state": "state",
    "land": "state",
    "bundesland": "state",
    "domain": "domain",
    "adminemail": "admin_email",
    "administratoremail": "admin_email",
    "adminmail": "admin_email",
    "email": "admin_email",
}
MAX_LENGTHS = {"name": 200, "ags": 20, "state": 40, "domain": 253, "admin_email": 254}
# Words a municipality's official name often starts with, left out of its short name ("Stadt Borna" → borna).
NAME_PREFIXES = ("stadt-", "gemeinde-", "markt-", "marktgemeinde-", "flecken-", "hansestadt-", "landeshauptstadt-")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class ParsedRow:
    line: int
    name: str
    ags: str
    state: str
    domain: str
    admin_email: str


@dataclass
class RowCheck:
    """What the preview shows for a row: its short name, the existing municipality it matches, or its errors."""

    row: BulkOnboardingRow
    state_code: str = ""
    slug: str = ""
    existing: str = ""  # the name of the municipality that has this AGS already
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def will_be_created(self) -> bool:
        return not self.errors and not self.existing

    @property
    def error_text(self) -> str:
        labels = _column_labels()
        return "; ".join(f"{labels[name]}: {' '.join(messages)}" for name, messages in self.errors.items())


def _column_labels() -> dict[str, str]:
    return {
        "name": _("name"),
        "ags": _("AGS"),
        "state": _("state"),
        "domain": _("domain"),
        "admin_email": _("administrator e-mail"),
        "slug": _("short name"),
    }


def _header_key(cell: str) -> str:
    return re.sub(r"[^a-zäöüß]", "", cell.strip().lower())


def parse_csv(raw: bytes) -> list[ParsedRow]:
    """The rows of an uploaded file; ValidationError (one message, for the whole file) when it cannot be read."""
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 2 MB; split it, e.g. one federal state per file."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 encoded; save it as “CSV UTF-8” and upload it again.")) from exc
    if "\x00" in text:
        raise ValidationError(_("The file is not a CSV text file."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise ValidationError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    try:
        return _rows(reader)
    except csv.Error as exc:
        raise ValidationError(_("The file is not a valid CSV file: %(error)s") % {"error": exc}) from exc


def _rows(reader: Any) -> list[ParsedRow]:  # a csv reader (its type is private to typeshed)
    header: list[str] = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            header = [HEADERS.get(_header_key(cell), "") for cell in cells]
            break
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        labels = _column_labels()
        raise ValidationError(
            _("The first line must name the columns name, AGS, state, domain and admin e-mail; missing: %(missing)s.")
            % {"missing": ", ".join(labels[name] for name in missing)}
        )
    rows: list[ParsedRow] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise ValidationError(
                _("Line %(line)s has %(found)s fields instead of %(expected)s.")
                % {"line": reader.line_num, "found": len(cells), "expected": len(header)}
            )
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name}
        for name, limit in MAX_LENGTHS.items():
            if len(values[name]) > limit:
                raise ValidationError(
                    _("Line %(line)s: the %(column)s is longer than %(limit)s characters.")
                    % {"line": reader.line_num, "column": _column_labels()[name], "limit": limit}
                )
        values["domain"] = values["domain"].lower()
        rows.append(ParsedRow(line=reader.line_num, **values))
        if len(rows) > MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(limit)s municipalities; split it, e.g. one federal state per file.")
                % {"limit": MAX_ROWS}
            )
    if not rows:
        raise ValidationError(_("The file names no municipality below its header line."))
    return rows


@transaction.atomic
def bulk_upload(
    *, raw: bytes, filename: str, actor: AbstractBaseUser | AnonymousUser | None, language: str
) -> BulkOnboarding:
    """Store a readable file's rows for the preview; a broken file raises ValidationError and stores nothing."""
    rows = parse_csv(raw)
    bulk = BulkOnboarding.objects.create(
        filename=filename[:255],
        sha256=hashlib.sha256(raw).hexdigest(),
        language=language,
        requested_by=actor if isinstance(actor, User) else None,
    )
    BulkOnboardingRow.objects.bulk_create(
        BulkOnboardingRow(bulk=bulk, line=row.line, **{name: getattr(row, name) for name in COLUMNS}) for row in rows
    )
    return bulk


def _state_code(value: str) -> str:
    """The two-digit code of a federal state given by code ("14", "4") or name ("Sachsen"); empty if unknown."""
    if value.isdigit() and len(value) <= 2:
        code = value.zfill(2)
        return code if code in FederalState.values else ""
    names = {label.casefold(): code for code, label in FederalState.choices}
    return names.get(value.casefold(), "")


def _slug_base(name: str) -> str:
    slug = slugify(name.lower().translate(UMLAUTS))
    for prefix in NAME_PREFIXES:
        if slug.startswith(prefix) and len(slug) > len(prefix) + 2:
            slug = slug.removeprefix(prefix)
            break
    if slug and not slug[0].isalpha():
        slug = "g-" + slug
    return slug[:31].strip("-")


def bulk_check(rows: list[BulkOnboardingRow]) -> list[RowCheck]:
    """Every row checked against the database and the rows before it (three queries for any number of rows)."""
    checks = [RowCheck(row) for row in rows]
    existing = dict(Municipality.objects.filter(ags__in=[r.ags for r in rows]).values_list("ags", "name"))
    domains_taken = set(Domain.objects.filter(domain__in=[r.domain for r in rows]).values_list("domain", flat=True))
    bases = {check.row.line: _slug_base(check.row.name) for check in checks}
    candidates = set(bases.values()) | {f"{bases[r.line]}-{r.ags}" for r in rows}
    slugs_taken = set(Municipality.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    first_line: dict[tuple[str, str], int] = {}
    for check in checks:
        _check_row(check, existing, domains_taken, first_line)
        if not check.errors and not check.existing:
            check.slug = _slug_for(bases[check.row.line], check.row.ags, slugs_taken)
            try:
                validate_slug(check.slug)
            except ValidationError as exc:
                for message in exc.messages:
                    check.add("slug", message)
            slugs_taken.add(check.slug)
    return checks


def _check_row(
    check: RowCheck, existing: dict[str, str], domains_taken: set[str], first_line: dict[tuple[str, str], int]
) -> None:
    row = check.row
    if not row.name:
        check.add("name", _("The name is missing."))
    try:
        validate_ags(row.ags)
    except ValidationError as exc:
        for message in exc.messages:
            check.add("ags", message)
    check.state_code = _state_code(row.state)
    if not check.state_code:
        check.add(
            "state", _("“%(state)s” is no federal state; give its code 01–16 or its name.") % {"state": row.state}
        )
    elif "ags" not in check.errors and not row.ags.startswith(check.state_code):
        check.add(
            "ags",
            _("The municipality key %(ags)s belongs to state code %(code)s, but the federal state given is %(state)s.")
            % {"ags": row.ags, "code": row.ags[:2], "state": FederalState(check.state_code).label},
        )
    for name in ("ags", "domain"):
        value = getattr(row, name)
        earlier = first_line.setdefault((name, value), row.line) if value else row.line
        if earlier != row.line:
            check.add(name, _("The same value appears in line %(line)s already.") % {"line": earlier})
    if row.ags in existing:
        check.existing = existing[row.ags]
        return  # skipped: its domain and e-mail belong to the municipality that exists
    try:
        validate_domain(row.domain)
    except ValidationError as exc:
        for message in exc.messages:
            check.add("domain", message)
    if row.domain in domains_taken:
        check.add("domain", _("The domain %(domain)s is already in use.") % {"domain": row.domain})
    if row.domain in settings.PLATFORM_HOSTS:
        check.add("domain", _("The domain %(domain)s belongs to the platform itself.") % {"domain": row.domain})
    try:
        validate_email(row.admin_email)
    except ValidationError as exc:
        for message in exc.messages:
            check.add("admin_email", message)


def _slug_for(base: str, ags: str, taken: set[str]) -> str:
    """The name's short name, or with the AGS appended when that is taken, reserved or too short."""
    if len(base) >= 3 and base not in taken and base not in RESERVED_SLUGS and not base.startswith("pg-"):
        return base
    return f"{base}-{ags}" if base else f"g-{ags}"


def bulk_preview(bulk: BulkOnboarding) -> list[RowCheck]:
    return bulk_check(list(bulk.rows.order_by("line")))


@transaction.atomic
def bulk_confirm(*, bulk: BulkOnboarding) -> BulkOnboarding:
    """Fix each row's fate as the preview shows it now, and queue the creation of the rows without errors."""
    locked = BulkOnboarding.objects.select_for_update().get(pk=bulk.pk)
    if locked.status != BulkOnboarding.Status.PREVIEW:
        raise ValidationError(_("This upload has been confirmed already."))
    Row = BulkOnboardingRow.Status
    for check in bulk_preview(locked):
        row = check.row
        if check.errors:
            row.status, row.reason = Row.EXCLUDED, check.error_text
        elif check.existing:
            row.status, row.reason = Row.SKIPPED, _("exists already: %(name)s") % {"name": check.existing}
        else:
            row.status, row.slug, row.state = Row.PENDING, check.slug, check.state_code
        row.save(update_fields=["status", "reason", "slug", "state"])
    locked.status, locked.confirmed = BulkOnboarding.Status.QUEUED, timezone.now()
    locked.save(update_fields=["status", "confirmed"])
    enqueue_on_commit("office.bulk_onboard", [locked.pk], what=f"the bulk onboarding {locked.pk}")
    return locked


def bulk_requeue_stalled(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue again the confirmed uploads whose task never started (a broker outage at confirmation)."""
    stalled = list(
        BulkOnboarding.objects.filter(
            status=BulkOnboarding.Status.QUEUED, confirmed__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for pk in stalled:
        enqueue_on_commit("office.bulk_onboard", [pk], what=f"the bulk onboarding {pk}")
    return len(stalled)


def bulk_run(bulk_id: int) -> BulkOnboarding:
    """Work off a confirmed upload, one municipality per step; a redelivered task continues where it stopped."""
    with transaction.atomic():
        bulk = BulkOnboarding.objects.select_for_update().get(pk=bulk_id)
        if bulk.status not in (BulkOnboarding.Status.QUEUED, BulkOnboarding.Status.RUNNING):
            return bulk
        bulk.status = BulkOnboarding.Status.RUNNING
        bulk.save(update_fields=["status"])
        _recover_interrupted(bulk)
    with translation.override(bulk.language):
        while bulk_step(bulk):
            pass
    bulk.status, bulk.finished = BulkOnboarding.Status.DONE, timezone.now()
    bulk.save(update_fields=["status", "finished"])
    return bulk


def _recover_interrupted(bulk: BulkOnboarding) -> None:
    """Rows a lost worker left running: created when their municipality exists (creation is all or nothing)."""
    Row = BulkOnboardingRow.Status
    for row in bulk.rows.filter(status=Row.RUNNING):
        municipality = Municipality.objects.filter(ags=row.ags).first()
        row.status, row.municipality = (Row.CREATED, municipality) if municipality else (Row.PENDING, None)
        row.save(update_fields=["status", "municipality"])


def bulk_step(bulk: BulkOnboarding) -> bool:
    """Create the next pending row's municipality; False when no row is left."""
    Row = BulkOnboardingRow.Status
    with transaction.atomic():
        row = bulk.rows.filter(status=Row.PENDING).order_by("line").select_for_update(skip_locked=True).first()
        if row is None:
            return False
        row.status = Row.RUNNING
        row.save(update_fields=["status"])
    existing = Municipality.objects.filter(ags=row.ags).first()
    if existing is not None:
        row.status, row.municipality = Row.SKIPPED, existing
        row.reason = _("exists already: %(name)s") % {"name": existing.name}
    else:
        _create(bulk, row)
    row.save(update_fields=["status", "municipality", "job", "reason"])
    return True


def _create(bulk: BulkOnboarding, row: BulkOnboardingRow) -> None:
    Row = BulkOnboardingRow.Status
    data = OnboardingInput(
        name=row.name, slug=row.slug, ags=row.ags, state=row.state, domains=[row.domain], admin_email=row.admin_email
    )
    try:
        job = onboarding_request(data=data, requested_by=bulk.requested_by, via="csv", queue=False)
    except Exception as exc:  # invalid by now (e.g. the domain was taken since the preview): the next row goes on
        row.status, row.reason = Row.FAILED, failure_reason(exc)
        return
    onboarding_run(job.pk)
    job.refresh_from_db()
    row.job = job
    if job.status == OnboardingJob.Status.DONE:
        row.status, row.municipality = Row.CREATED, job.municipality
    else:
        row.status, row.reason = Row.FAILED, job.error


def bulk_progress(bulk: BulkOnboarding) -> dict[str, int]:
    """Rows per status (one query), with ``total`` and ``done`` (no longer pending or running)."""
    counts = Counter(dict(bulk.rows.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")))
    Row = BulkOnboardingRow.Status
    total = sum(counts.values())
    progress = {status: counts.get(status, 0) for status in Row.values}
    progress["total"] = total
    progress["done"] = total - counts.get(Row.PENDING, 0) - counts.get(Row.RUNNING, 0)
    return progress


REPORT_COLUMNS = ("line", "name", "ags", "state", "domain", "admin_email", "slug", "status", "reason")


def bulk_report_csv(bulk: BulkOnboarding) -> str:
    """What became of every row, as CSV (``;``, UTF-8 with BOM for spreadsheets); formula cells neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, delimiter=";")
    labels = _column_labels()
    writer.writerow(
        {
            "line": _("line"),
            **{name: labels[name] for name in ("name", "ags", "state", "domain", "admin_email", "slug")},
            "status": _("result"),
            "reason": _("reason"),
        }
    )
    for row in bulk.rows.order_by("line"):
        cells: dict[str, object] = {name: getattr(row, name) for name in REPORT_COLUMNS if name != "status"}
        cells["status"] = row.get_status_display()
        writer.writerow(safe_row(cells))
    return out.getvalue()
