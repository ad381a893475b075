"""Values that prefill form fields, by the fields' semantic keys (docs/form-semantic-keys.md: ``person.given_name``,
``address.city``, …), from sources such as the citizen's own profile; forms ask here, not the sources.

A source returns only what it may share for this request (e.g. the citizen allowed prefilling); values of a
source registered earlier win over later ones, so a verified source (eID) can be registered first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Source:
    name: str
    order: int
    values: Callable[[HttpRequest], dict[str, str]]


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.name] = source


def values(request: HttpRequest) -> dict[str, str]:
    """Semantic key → value from every source, the lower ``order`` first (first value wins)."""
    merged: dict[str, str] = {}
    for source in sorted(_sources.values(), key=lambda item: (item.order, item.name)):
        for key, value in source.values(request).items():
            if value and key not in merged:
                merged[key] = value
    return merged
