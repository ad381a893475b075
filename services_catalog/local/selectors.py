"""Reads of a municipality's offer: the merged view of shared definition and local overrides.

Pages, the API and search all use :func:`offered_services` / :func:`offered_service`, so the
same merge rule applies everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import QuerySet

from services_catalog.constants import CITIZEN_HEADINGS, TEXT_MODULES
from services_catalog.local.models import LocalService
from services_catalog.models import ServiceDefinition, ServiceVersion
from services_catalog.search import rank_texts, rank_versions
from services_catalog.selectors import published_version


@dataclass(frozen=True)
class Office:
    name: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    opening_hours: str


@dataclass(frozen=True)
class MergedService:
    """One service as a municipality offers it, in one language."""

    local_id: int
    key: str
    leika_key: str
    version: ServiceVersion
    latest_number: int
    name: str
    teaser: str
    # (module, citizen-facing heading, text, "de" when the text is the German fallback else "") in display
    # order, non-empty only
    texts: list[tuple[str, str, str, str]]
    life_situations: list[str]
    keywords: list[str]
    costs: dict[str, Any]
    local_fee: Decimal | None
    office: Office
    local_note: str
    online_available: bool
    trust_level: str
    responsibility_level: str
    language: str = "de"
    name_lang: str = ""  # "de" when the name is shown in German on a page in another language
    teaser_lang: str = ""
    local_note_lang: str = ""

    @property
    def newer_version_available(self) -> bool:
        return self.version.number < self.latest_number

    @property
    def costs_note(self) -> str:
        """The catalogue's note on the costs in the shown language (German when there is no translation)."""
        note = self.costs.get("note") or {}
        return str(note.get(self.language) or note.get("de") or "")

    @property
    def fixed_fee(self) -> Decimal | None:
        """The fee shown to citizens when it is one amount (local override first)."""
        if self.local_fee is not None:
            return self.local_fee
        if self.costs.get("kind") == "fixed":
            return Decimal(self.costs["amount"])
        if self.costs.get("kind") == "free":
            return Decimal("0.00")
        return None


def _merge(local: LocalService, language: str) -> MergedService | None:
    version = local.offered_version
    latest = local.definition.latest_version
    if version is None or latest is None:
        return None
    note = local.local_note_en if language == "en" and local.local_note_en else local.local_note_de
    return MergedService(
        local_id=local.pk,
        key=local.definition.key,
        leika_key=version.leika_key,
        version=version,
        latest_number=latest.number,
        name=version.name(language),
        teaser=version.text("teaser", language) or version.text("kurztext", language),
        texts=[
            (
                module,
                str(CITIZEN_HEADINGS.get(module, label)),
                version.text(module, language),
                _fallback(version.texts.get(module), language),
            )
            for module, _code, label in TEXT_MODULES
            if module != "teaser" and version.text(module, language)
        ],
        life_situations=list(version.life_situations),
        keywords=list((version.keywords or {}).get(language) or (version.keywords or {}).get("de") or []),
        costs=dict(version.costs or {}),
        local_fee=local.fee_amount,
        office=Office(
            local.office_name,
            local.office_street,
            local.office_postcode,
            local.office_city,
            local.office_phone,
            local.office_email,
            local.opening_hours,
        ),
        local_note=note,
        online_available=local.online_available and version.online_application,
        trust_level=version.trust_level,
        responsibility_level=version.responsibility_level,
        language=language,
        name_lang="de" if language != "de" and not version.name_en else "",
        local_note_lang="de" if language != "de" and not (language == "en" and local.local_note_en) else "",
        teaser_lang=_fallback(version.texts.get("teaser") or version.texts.get("kurztext"), language),
    )


def _fallback(value: dict[str, str] | None, language: str) -> str:
    """ "de" when a text in ``language`` is missing and the German one stands in for it."""
    return "de" if language != "de" and not (value or {}).get(language) else ""


# The definition's own content is the office's draft, never shown on portals: what a portal shows comes
# from published versions, which the process keeps (services_catalog.selectors.published_version).
_DRAFT_CONTENT = tuple(
    f"definition__{field.name}"
    for field in ServiceDefinition._meta.concrete_fields
    if isinstance(field, models.JSONField | ArrayField)
)


def adopted_services() -> QuerySet[LocalService]:
    """The municipality's enabled adoptions with their definition's key and names, without the draft content.

    Pass what you load through :func:`with_versions` before reading its offered version.
    """
    return LocalService.objects.select_related("definition").defer(*_DRAFT_CONTENT).filter(enabled=True)


def with_versions(services: list[LocalService]) -> list[LocalService]:
    """Attach the pinned and the latest published version to each adoption, from the process's store."""
    for service in services:
        if service.pinned_version_id:
            service.pinned_version = published_version(service.pinned_version_id)
        if service.definition.latest_version_id:
            service.definition.latest_version = published_version(service.definition.latest_version_id)
    return services


def offered_services(
    *, language: str = "de", life_situation: str | None = None, query: str = ""
) -> list[MergedService]:
    """The municipality's enabled services, A–Z, or by relevance when ``query`` is given."""
    merged = [m for local in with_versions(list(adopted_services())) if (m := _merge(local, language))]
    if life_situation:
        merged = [m for m in merged if life_situation in m.life_situations]
    if not query.strip():
        return sorted(merged, key=lambda m: m.name.casefold())
    shared_ranks = rank_versions(query, [m.version.pk for m in merged])
    local_ranks = rank_texts(query, {m.local_id: f"{m.local_note} {m.office.name}" for m in merged})
    scored = [(shared_ranks.get(m.version.pk, 0.0) + 0.5 * local_ranks.get(m.local_id, 0.0), m) for m in merged]
    return [m for score, m in sorted(scored, key=lambda item: (-item[0], item[1].name)) if score > 0]


def offered_service(key: str, *, language: str = "de") -> MergedService | None:
    """One enabled service of the municipality by its catalogue key."""
    found = with_versions(list(adopted_services().filter(definition__key=key)[:1]))
    return _merge(found[0], language) if found else None


@dataclass(frozen=True)
class AdoptionChoice:
    """A published service of the shared catalogue and whether this municipality offers it."""

    key: str
    name: str
    published: date  # of the latest version
    offered: bool


def adoption_choices() -> list[AdoptionChoice]:
    """Every published shared service, alphabetically, marked offered when adopted and switched on here."""
    offered = set(LocalService.objects.filter(enabled=True).values_list("definition_id", flat=True))
    definitions = (
        ServiceDefinition.objects.filter(latest_version__isnull=False)
        .select_related("latest_version")
        .order_by("name_de")
    )
    return [
        AdoptionChoice(d.key, d.name_de, d.latest_version.published_at.date(), d.pk in offered)
        for d in definitions
        if d.latest_version is not None
    ]
