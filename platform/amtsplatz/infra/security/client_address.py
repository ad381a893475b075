"""The client's network address behind the reverse proxies we trust (``TRUSTED_PROXIES``).

gunicorn sees nginx as ``REMOTE_ADDR``: read that way, one town shares one rate limit. ``X-Forwarded-For``
is only believed as far as it was written by a trusted proxy: walking the header from the right (the hop
nearest to us), every address that belongs to a trusted proxy is skipped, and the first one that does not
is the client. A header sent by anybody else is ignored, so a client cannot choose its own address.
Every rate limit and django-axes (``AXES_CLIENT_IP_CALLABLE``) call :func:`client_address`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client: the peer, or what trusted proxies in front of us say the client was."""
    peer = _parse(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return UNKNOWN
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(peer, networks):
        return str(peer)
    client = peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:  # garbage in the header: the last address a trusted proxy vouched for stands
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def axes_client_address(request: HttpRequest) -> str | None:
    """:func:`client_address` for django-axes, which stores it in an address field: None when unknown.

    Requests without a peer address are made in-process (``Client.force_login``, management commands).
    """
    address = client_address(request)
    return None if address == UNKNOWN else address
