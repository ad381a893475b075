"""The registry of citizen login methods: one module per method in this package, found at start-up.

A module registers a :class:`LoginMethod` at import; ``CitizensConfig.ready`` imports every module of
the package, and ``citizens.urls`` mounts each method's URLs under ``konto/<key>/``. Adding a method is
adding a module: the log-in page, the "stronger login" page and the URL conf need no edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise

from citizens.levels import meets


@dataclass(frozen=True)
class Button:
    """One way to log in offered on a page: ``url`` starts the login, ``level`` is the most it can reach."""

    label: str | Promise
    url: str
    level: str
    method: str


@dataclass(frozen=True)
class Wanted:
    """What the page offering logins needs: where to go afterwards, the trust level, the attributes (semantic
    keys of the form fields to prefill; a method asks its provider for these and no more)."""

    next_path: str = ""
    level: str = "low"
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoginMethod:
    """``buttons(request, wanted)`` lists what this method offers now; ``urls`` its URL patterns."""

    key: str
    label: str | Promise
    buttons: Callable[[HttpRequest, Wanted], list[Button]]
    urls: Sequence[Any] = ()
    order: int = 50


_methods: dict[str, LoginMethod] = {}


def register(method: LoginMethod) -> None:
    _methods[method.key] = method


def methods() -> list[LoginMethod]:
    return sorted(_methods.values(), key=lambda method: (method.order, method.key))


def label_of(key: str) -> str:
    method = _methods.get(key)
    return str(method.label) if method else key


def buttons(request: HttpRequest, wanted: Wanted) -> list[Button]:
    """Every button of every method that can reach the wanted level."""
    return [
        button
        for method in methods()
        for button in method.buttons(request, wanted)
        if meets(button.level, wanted.level)
    ]


def discover() -> None:
    """Import every module of this package (each registers its method)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
