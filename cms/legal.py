"""The legal pages' generated content and the go-live checklist (read in a municipality's schema).

Impressum, contact page, privacy notice and accessibility statement are generated from the legal details
(``themes.LegalDetails``, collected at onboarding) and from what the municipality has switched on. The
checklist names every fact still missing; a portal goes live only when it is complete (``tenants.hooks``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from wagtail.models import Page

from cms.models import AccessibilityStatementPage, ContactPage, HomePage, LegalPage
from offices.models import CONTACT_RETENTION_DAYS
from services_catalog.local.models import LocalService
from tenants.db import current_municipality
from themes.models import LegalDetails
from themes.selectors import current_branding, current_legal_details

# Words that mark text nobody has written yet; none of them may appear on a live portal.
PLACEHOLDER_PHRASES = ("pflegt die Redaktion", "trägt hier", "Platzhalter", "Lorem", "TODO", "folgt")
PLACEHOLDER = re.compile(r"\b(?:" + "|".join(re.escape(phrase) for phrase in PLACEHOLDER_PHRASES) + r")\b", re.I)

IMPRESSUM_FIELDS = (
    "authority_name", "street", "postcode", "city", "representative_role", "representative_name", "phone", "email",
    "supervisory_authority",
)  # fmt: skip
PRIVACY_FIELDS = ("authority_name", "dpo_name", "dpo_email", "data_protection_authority")
ACCESSIBILITY_FIELDS = ("accessibility_enforcement_body", "accessibility_evaluated_on", "accessibility_method")


@dataclass(frozen=True)
class ChecklistItem:
    area: str
    label: str
    done: bool
    blocking: bool = True  # False: recommended, but the portal may go live without it


@dataclass(frozen=True)
class Processing:
    """One processing of personal data, as the privacy notice lists it."""

    title: StrOrPromise
    purpose: StrOrPromise
    legal_basis: StrOrPromise
    retention: str


def _field_label(name: str) -> str:
    return str(LegalDetails._meta.get_field(name).verbose_name)


def _missing_fields(details: LegalDetails, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if not getattr(details, name)]


def has_placeholder(*texts: str) -> bool:
    """Whether any text holds a placeholder phrase (as a whole word: "erfolgt" is no placeholder)."""
    return any(PLACEHOLDER.search(text) for text in texts)


def _page_text(page: Page) -> str:
    """Every text field of a page, StreamFields as their JSON, for the placeholder check."""
    values: list[str] = [page.title]
    for field in page._meta.concrete_fields:
        if field.name in ("path", "url_path", "slug", "content_type"):
            continue
        value: Any = getattr(page, field.attname, None)
        if isinstance(value, str):
            values.append(value)
        elif hasattr(value, "raw_data"):
            values.append(json.dumps(list(value.raw_data), ensure_ascii=False))
    return "\n".join(values)


def _page_items(area: str, page: Page | None) -> list[ChecklistItem]:
    if page is None:
        return [ChecklistItem(area, _("the page is missing or not published"), False)]
    return [ChecklistItem(area, _("no placeholder text on the page"), not has_placeholder(_page_text(page)))]


def go_live_checklist() -> list[ChecklistItem]:
    """Every fact the legal pages and a first offer need, done or not, grouped by area."""
    details = current_legal_details()
    home = HomePage.objects.first()
    live = Page.objects.live().descendant_of(home) if home is not None else Page.objects.none()
    items: list[ChecklistItem] = []

    impressum = _("Impressum")
    items += _page_items(impressum, LegalPage.objects.live().filter(kind=LegalPage.Kind.IMPRESSUM).first())
    items += [ChecklistItem(impressum, _field_label(name), bool(getattr(details, name))) for name in IMPRESSUM_FIELDS]

    contact_area = _("Contact")
    contact = ContactPage.objects.live().filter(pk__in=live.values("pk")).order_by("path").first()
    items += _page_items(contact_area, contact)
    if contact is not None:
        items.append(ChecklistItem(contact_area, _("postal address"), bool(contact.address.strip())))
        items.append(ChecklistItem(contact_area, _("phone or e-mail"), bool(contact.phone or contact.email)))

    privacy = _("Privacy notice")
    items += _page_items(privacy, LegalPage.objects.live().filter(kind=LegalPage.Kind.DATENSCHUTZ).first())
    items += [ChecklistItem(privacy, _field_label(name), bool(getattr(details, name))) for name in PRIVACY_FIELDS]

    accessibility = _("Accessibility statement")
    statement = AccessibilityStatementPage.objects.live().first()
    items += _page_items(accessibility, statement)
    items += [
        ChecklistItem(accessibility, _field_label(name), bool(getattr(details, name))) for name in ACCESSIBILITY_FIELDS
    ]
    feedback = bool((statement and statement.feedback_email) or details.email or current_branding().contact_email)
    items.append(ChecklistItem(accessibility, _("e-mail address for reported barriers"), feedback))

    offered = LocalService.objects.filter(enabled=True).exists()
    items.append(ChecklistItem(_("Services"), _("at least one service is offered"), offered, blocking=False))
    return items


def go_live_missing() -> list[str]:
    """The checklist's open blocking items as "area: item" (the ``tenants.hooks`` go-live check)."""
    return [f"{item.area}: {item.label}" for item in go_live_checklist() if item.blocking and not item.done]


def _retention_of_applications() -> str:
    days = sorted(
        {
            (local.offered_version.retention_days if local.offered_version else 0)
            for local in LocalService.objects.filter(enabled=True).select_related(
                "definition__latest_version", "pinned_version"
            )
        }
        - {0}
    )
    if not days:
        return ""
    if days[0] == days[-1]:
        span = _("%(days)s days") % {"days": days[0]}
    else:
        span = _("%(low)s to %(high)s days, depending on the service") % {"low": days[0], "high": days[-1]}
    return _(
        "While the application is processed; after it is closed, for the retention period the service sets "
        "(%(span)s), then it is deleted automatically."
    ) % {"span": span}


AS_LONG_AS_NEEDED = gettext_lazy(
    "As long as it is needed for this purpose (Art. 5(1)(e) GDPR); you may ask for erasure at any time."
)


def processings() -> list[Processing]:
    """The processings of personal data this portal performs, from what the municipality has switched on."""
    found: list[Processing] = []
    online = LocalService.objects.filter(enabled=True, online_available=True).exists()
    if online:
        found.append(
            Processing(
                _("Online applications"),
                _("To process your application and to inform you of its progress and the decision."),
                _(
                    "Art. 6(1)(e) GDPR together with the law that governs the service; the Onlinezugangsgesetz "
                    "(OZG) obliges the administration to offer its services online."
                ),
                _retention_of_applications(),
            )
        )
    if online and current_municipality().payment_provider != "onsite":
        found.append(
            Processing(
                _("Online payment of fees"),
                _("To collect the fee of your application; the payment provider receives the amount and reference."),
                _("Art. 6(1)(e) GDPR together with the fee law that applies to the service."),
                str(_("As long as the application is kept; accounting records as the law on budgets requires.")),
            )
        )
    if apps.is_installed("participation"):
        found.append(
            Processing(
                _("Participation (defect reports, ideas, consultations)"),
                _("To handle your report or contribution and to publish it under your pseudonym after moderation."),
                _("Art. 6(1)(e) GDPR; optional details such as your real name: Art. 6(1)(a) GDPR (consent)."),
                str(AS_LONG_AS_NEEDED),
            )
        )
    if apps.is_installed("appointments") and apps.get_model("appointments", "Calendar").objects.exists():
        found.append(
            Processing(
                _("Appointments"),
                _("To book, remind you of and call up your appointment."),
                _("Art. 6(1)(e) GDPR."),
                str(AS_LONG_AS_NEEDED),
            )
        )
    if apps.is_installed("answers"):
        found.append(
            Processing(
                _("Question box"),
                _("To search for an answer to your question; the portal stores no record of the question."),
                _("Art. 6(1)(e) GDPR."),
                str(_("Not stored.")),
            )
        )
    found.append(
        Processing(
            _("Contact form"),
            _("To answer your message; it is passed to the office you wrote to."),
            _("Art. 6(1)(e) GDPR."),
            str(_("Deleted %(days)d days after it reached us.") % {"days": CONTACT_RETENTION_DAYS}),
        )
    )
    found.append(
        Processing(
            _("Reported barriers"),
            _("To answer your report through the accessibility statement's form and to remove the barrier."),
            _("Art. 6(1)(e) GDPR together with the accessibility law that applies to public bodies."),
            str(AS_LONG_AS_NEEDED),
        )
    )
    return found
