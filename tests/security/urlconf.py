"""Every URL pattern of a URL conf as a concrete path, with chosen values in place of its parameters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?!\?:)(?:\?P<(?P<name>\w+)>)?(?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class Route:
    """A pattern of the URL conf: its full route text, its name, and its parameters' names."""

    route: str
    name: str
    parameters: tuple[str, ...]

    def path(self, value: str) -> str:
        """The concrete path with ``value`` (already percent-encoded) for every parameter."""
        return "/" + _fill(self.route, lambda: value)

    def path_with(self, values: Mapping[str, str]) -> str:
        """The concrete path with ``values[name]`` (already percent-encoded) for each parameter."""
        names = iter(self.parameters)
        return "/" + _fill(self.route, lambda: values[next(names)])


def _fill(route: str, value: Callable[[], str]) -> str:
    text = _ROUTE_PARAMETER.sub(lambda _match: value(), route)
    text = _REGEX_GROUP.sub(lambda _match: value(), text)
    text = text.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return re.sub(r"[?*+]", "", text)


def _route_text(pattern: object) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return ""
    return str(pattern)  # a RoutePattern's route, a RegexPattern's regular expression


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Route]:
    for entry in patterns:
        text = prefix + _route_text(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, text, inner)
        else:
            names = tuple(
                match["name"] or f"arg{index}"
                for index, match in enumerate([*_ROUTE_PARAMETER.finditer(text), *_REGEX_GROUP.finditer(text)])
            )
            yield Route(route=text, name=f"{namespace}{entry.name or entry.lookup_str}", parameters=names)


def routes(urlconf: str) -> list[Route]:
    """Every pattern of ``urlconf``, in order, with the route text of all its enclosing includes."""
    return list(_walk(get_resolver(urlconf).url_patterns, "", ""))
