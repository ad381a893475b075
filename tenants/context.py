"""Entering a municipality's schema: the one place that binds per-tenant globals."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django_tenants.utils import schema_context

from tenants.models import Municipality

T = TypeVar("T")


def portal_base_url(host: str) -> str:
    """Absolute base URL of a portal host, with the configured scheme and port."""
    port = settings.PORTAL_PORT
    suffix = "" if port in (80, 443) else f":{port}"
    return f"{settings.PORTAL_SCHEME}://{host}{suffix}"


def municipality_base_url(municipality: Municipality) -> str:
    """Absolute base URL of a municipality's primary domain."""
    domain = municipality.primary_domain_name()
    if domain is None:
        raise ValueError(f"Municipality {municipality.slug} has no primary domain.")
    return portal_base_url(domain)


def activate_base_url(base_url: str) -> None:
    """Point Wagtail's absolute links (e-mails, image URLs) at the active portal.

    Wagtail reads WAGTAILADMIN_BASE_URL as a process-wide setting; web workers (gunicorn sync)
    and Celery prefork workers serve one request or task at a time, so binding it on entry to a
    schema gives each municipality its own links (docs/decisions/0004-per-tenant-base-url.md).
    """
    settings.WAGTAILADMIN_BASE_URL = base_url


@contextmanager
def municipality_context(municipality: Municipality) -> Iterator[None]:
    """Work in a municipality's schema with its portal links, as a request to its host would.

    For code on the platform host that acts for one municipality (e.g. a Stripe Connect event).
    """
    previous = settings.WAGTAILADMIN_BASE_URL
    with schema_context(municipality.schema_name):
        activate_base_url(municipality_base_url(municipality))
        try:
            yield
        finally:
            activate_base_url(previous)


def run_in_each_municipality(
    work: Callable[[Municipality], T], municipalities: Iterable[Municipality] | None = None
) -> list[tuple[Municipality, T]]:
    """Run ``work`` in each municipality's schema in turn (default: every active one), in slug order.

    The one loop over schemas for code on the platform host that needs each municipality's own data
    (e.g. the cross-municipality open data catalogue); the connection is back on its schema afterwards.
    """
    if municipalities is None:
        municipalities = Municipality.objects.filter(status=Municipality.Status.ACTIVE).order_by("slug")
    results: list[tuple[Municipality, T]] = []
    for municipality in municipalities:
        with municipality_context(municipality):
            results.append((municipality, work(municipality)))
    return results
