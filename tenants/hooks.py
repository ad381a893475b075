"""Hooks through which upper layers shape what tenants/ creates, without tenants/ importing them.

tenants/ clones schemas and routes hosts; what a portal contains (pages, branding) belongs to the apps
above. They register here in their ``AppConfig.ready``; tenants/ calls the hooks at the right moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NewPortal:
    """A municipality's freshly cloned schema, active while the hooks run."""

    name: str
    hostname: str
    port: int
    appearance: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Hook:
    order: int
    name: str
    call: Callable[..., Any]


_portal_setup: dict[str, _Hook] = {}
_template_setup: dict[str, _Hook] = {}
_maintenance_context: dict[str, _Hook] = {}


def _sorted(hooks: dict[str, _Hook]) -> list[_Hook]:
    return sorted(hooks.values(), key=lambda hook: (hook.order, hook.name))


def register_portal_setup(name: str, call: Callable[[NewPortal], None], *, order: int = 50) -> None:
    """``call(portal)`` runs inside a new municipality's schema, in the onboarding's transaction."""
    _portal_setup[name] = _Hook(order, name, call)


def register_template_setup(name: str, call: Callable[[], None], *, order: int = 50) -> None:
    """``call()`` runs inside the template schema after every migration of it (must be idempotent)."""
    _template_setup[name] = _Hook(order, name, call)


def register_maintenance_context(name: str, call: Callable[[], dict[str, Any]]) -> None:
    """``call()`` adds to the context of a suspended portal's maintenance page (in its schema)."""
    _maintenance_context[name] = _Hook(50, name, call)


def portal_setup(portal: NewPortal) -> None:
    for hook in _sorted(_portal_setup):
        hook.call(portal)


def template_setup() -> None:
    for hook in _sorted(_template_setup):
        hook.call()


def maintenance_context() -> dict[str, Any]:
    context: dict[str, Any] = {}
    for hook in _sorted(_maintenance_context):
        context.update(hook.call())
    return context


@dataclass(frozen=True)
class OfficeFact:
    """A live fact an upper layer adds to an office's page, e.g. the current waiting time at its counters."""

    label: str
    value: str
    link_text: str = ""
    url: str = ""


_office_facts: dict[str, _Hook] = {}


def register_office_facts(name: str, call: Callable[[str], list[OfficeFact]]) -> None:
    """``call(office_slug)`` returns facts for the page of the municipality's office ``office_slug`` (in its schema)."""
    _office_facts[name] = _Hook(50, name, call)


def office_facts(office_slug: str) -> list[OfficeFact]:
    facts: list[OfficeFact] = []
    for hook in _sorted(_office_facts):
        facts.extend(hook.call(office_slug))
    return facts
