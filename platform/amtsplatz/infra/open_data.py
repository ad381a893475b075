"""Registry of generated open data sets: capabilities describe what they can publish, opendata publishes it.

A capability (participation, applications, …) registers a ``DatasetProvider`` in its ``AppConfig.ready``;
the open data portal lists every registered provider in each municipality's catalogue without importing
the capability. A provider returns counts aggregated per group (never rows about a person); the portal
applies the k-anonymity rule to every count column before anything leaves the schema (ADR 0063).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

Row = dict[str, Any]


@dataclass(frozen=True)
class DatasetProvider:
    """One generated data set: its description and the function that aggregates it in the active schema."""

    key: str  # stable, part of URLs and identifiers: "defect-reports-per-month"
    title: str | Promise
    description: str | Promise
    keywords: Sequence[str]
    theme: str  # DCAT-AP data theme code, e.g. "GOVE", "SOCI", "REGI"
    columns: Sequence[tuple[str, str]]  # (name, type): "text", "integer", "decimal", "date", "month"
    count_columns: Sequence[str]  # columns that count people's contributions: subject to k-suppression
    rows: Callable[[], list[Row]]  # aggregated rows of the active schema, ordered
    frequency: str = "MONTHLY"  # EU frequency code
    extra: dict[str, Any] = field(default_factory=dict)


_providers: dict[str, DatasetProvider] = {}


def register(provider: DatasetProvider) -> None:
    """Add (or replace, when an app is reloaded) a provider under its key."""
    _providers[provider.key] = provider


def providers() -> list[DatasetProvider]:
    """Every registered provider, ordered by key."""
    return [_providers[key] for key in sorted(_providers)]


def provider(key: str) -> DatasetProvider | None:
    return _providers.get(key)
