"""Reads of applications: for citizens (by link or verified address) and for caseworkers (by group)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application, ReasonTemplate
from applications.schema_forms import localised
from applications.service_cache import adopted_service_cached
from applications.states import Status
from services_catalog.local.models import LocalService

WITHDRAWABLE = frozenset({Status.SUBMITTED, Status.AWAITING_PAYMENT, Status.IN_REVIEW, Status.NEEDS_INFORMATION})


def service_for_application(key: str) -> LocalService:
    """The adopted service with its desk and its published versions (remembered by the process)."""
    service = adopted_service_cached(key)
    if service is None:
        raise Http404(_("This municipality does not offer this service."))
    return service


def sees_all(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("applications.view_all_applications")))


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Submitted applications a staff member may see: all for admins, else their groups' services."""
    queryset = Application.objects.exclude(status=Status.DRAFT).select_related(
        "service__definition", "version", "assignee"
    )
    if not user.is_authenticated or not user.is_staff:
        return queryset.none()
    if sees_all(user):
        return queryset
    return queryset.filter(service__desk__groups__in=user.groups.all()).distinct()


def may_file_for_citizens(user: Any, service: LocalService) -> bool:
    """Staff who work a service may file for a citizen at the counter."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return sees_all(user) or LocalService.objects.filter(pk=service.pk, desk__groups__in=user.groups.all()).exists()


def inbox(
    user: Any,
    *,
    service: str = "",
    status: str = "",
    assignee: str = "",
    older_than_days: int | None = None,
    query: str = "",
) -> QuerySet[Application]:
    """The caseworker's list with filters; ``query`` matches the reference or the applicant's name."""
    queryset = applications_visible_to(user)
    if service:
        queryset = queryset.filter(service__definition__key=service)
    if status:
        queryset = queryset.filter(status=status)
    if assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif assignee == "nobody":
        queryset = queryset.filter(assignee__isnull=True)
    if older_than_days:
        queryset = queryset.filter(submitted_at__lt=timezone.now() - timedelta(days=older_than_days))
    if query.strip():
        term = query.strip()
        queryset = queryset.filter(
            Q(reference__iexact=term) | Q(applicant_name__icontains=term) | Q(applicant_email__iexact=term)
        )
    return queryset


def draft_for(public_id: uuid.UUID, *, user: Any, email: str | None) -> Application | None:
    """A draft the requester may continue: their own (account or verified address) or filed by them."""
    application = (
        Application.objects.select_related("version", "service")
        .filter(public_id=public_id, status=Status.DRAFT)
        .first()
    )
    if application is None:
        return None
    if email and application.applicant_email == email and not application.assisted_by_id:
        return application
    if user.is_authenticated and user.pk in (application.applicant_id, application.assisted_by_id):
        return application
    return None


def open_draft(service: LocalService, email: str) -> Application | None:
    """The citizen's own unfinished draft for this service, if there is one."""
    return (
        Application.objects.filter(service=service, applicant_email=email, status=Status.DRAFT, assisted_by=None)
        .order_by("-created")
        .first()
    )


def application_by_token(token: str) -> Application | None:
    if not token or len(token) > 64:
        return None
    return (
        Application.objects.select_related("version", "service__definition")
        .exclude(status=Status.DRAFT)
        .filter(access_token=token, anonymised_at__isnull=True)
        .first()
    )


def applications_of(email: str) -> QuerySet[Application]:
    return Application.objects.filter(applicant_email=email, anonymised_at__isnull=True).select_related("version")


# Whether a field is shown, given its spec and its value.
Keep = Callable[[dict[str, Any], Any], bool]


def answers(application: Application) -> list[tuple[str, list[tuple[str, str]]]]:
    """The answers by group as (group title, [(label, shown value)]), for review and caseworkers."""
    language = application.language
    files: dict[str, list[str]] = {}
    for attachment in application.attachments.all():
        files.setdefault(attachment.field_id, []).append(attachment.original_name)
    return [
        (localised(group.get("title"), language), group_answers(application, group, files=files))
        for group in (application.version.form_schema or {}).get("groups", [])
    ]


def group_answers(
    application: Application,
    group: dict[str, Any],
    *,
    files: dict[str, list[str]] | None = None,
    keep: Keep | None = None,
) -> list[tuple[str, str]]:
    """One step's [(label, shown value)] with its sub-groups and numbered entries of repeatable groups.

    ``keep(spec, value)`` narrows the fields (the permit shows only filled-in text fields).
    """
    rows: list[tuple[str, str]] = []
    walk = _Walk(application.language, files or {}, keep, rows)
    if "repeat" in group:
        walk.entries(group, application.data.get(group["id"]), "")
    else:
        walk.group(group, application.data, "")
    return rows


@dataclass(frozen=True)
class _Walk:
    language: str
    files: dict[str, list[str]]
    keep: Keep | None
    rows: list[tuple[str, str]]

    def group(self, group: dict[str, Any], data: dict[str, Any], prefix: str) -> None:
        """Rows of a group and its sub-groups; entries of repeatable groups are numbered ("Kinder 2: Vorname")."""
        for spec in group.get("fields", []):
            if spec["kind"] in ("label", "hidden"):
                continue
            if self.keep is not None and not self.keep(spec, data.get(spec["id"])):
                continue
            label = prefix + localised(spec.get("label"), self.language)
            if spec.get("type") == "file":
                if self.files.get(spec["id"]):
                    self.rows.append((label, ", ".join(self.files[spec["id"]])))
                continue
            if spec["id"] in data:
                self.rows.append((label, _shown(spec, data[spec["id"]], self.language)))
        for sub in group.get("groups", []):
            if "repeat" in sub:
                self.entries(sub, data.get(sub["id"]), prefix)
            else:
                self.group(sub, data, prefix)

    def entries(self, group: dict[str, Any], entries: Any, prefix: str) -> None:
        title = localised(group.get("title"), self.language)
        for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            if isinstance(entry, dict):
                self.group(group, entry, f"{prefix}{title} {number}: ")


def _shown(spec: dict[str, Any], value: Any, language: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if spec["kind"] == "select":
        for item in spec.get("code_list", []):
            if item["value"] == value:
                return localised(item["label"], language)
    if spec.get("type") == "date":
        try:
            year, month, day = str(value).split("-")
            return f"{day}.{month}.{year}"
        except ValueError:
            return str(value)
    return str(value)


def decision_draft(application: Application) -> dict[str, str]:
    """The Entscheidungsvorlage: outcome and reasons pre-filled from the decision rule, editable."""
    from services_catalog.rules import decide

    rule = application.version.decision_rule
    if application.decision_reasons:
        return {"outcome": "approve", "reasons": application.decision_reasons}
    if rule:
        result = decide(rule, application.data)
        reason = result.reason.get(application.language) or result.reason.get("de") or ""
        return {"outcome": "reject" if result.outcome == "reject" else "approve", "reasons": reason}
    return {"outcome": "approve", "reasons": _("All requirements are met.")}


def reason_templates(application: Application) -> list[ReasonTemplate]:
    """The text templates (Textbausteine) of the application's service, for either outcome."""
    return list(ReasonTemplate.objects.filter(service_id=application.service_id))


FACT_LABELS = {
    "parking_zone": gettext_lazy("Residents' parking zone"),
    "main_residence": gettext_lazy("Main residence"),
}


def verified_facts(application: Application) -> list[tuple[str, dict[str, Any]]]:
    """(label, fact) of each fact the automatic decision established (see ``applications.facts``)."""
    return [(str(FACT_LABELS.get(key, key)), fact) for key, fact in (application.facts or {}).items()]
