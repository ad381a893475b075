"""Host → schema routing: platform hosts use public, municipality domains their schema."""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotFound
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.context import activate_base_url, portal_base_url
from tenants.db import current_tenant, use_municipality, use_public_schema
from tenants.host_cache import municipality_for_host_cached
from tenants.models import Municipality


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    """A plain 404 page in both languages; never the platform site, never an error."""
    return HttpResponseNotFound(render_to_string("tenants/unknown_host.html"))


class MunicipalityMiddleware(TenantMainMiddleware):
    """Select the schema by host name and the URL conf that belongs to it."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        use_public_schema()
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return unknown_host_response(request)

        if hostname in settings.PLATFORM_HOSTS:
            request.tenant = current_tenant()  # type: ignore[attr-defined]
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            activate_base_url(portal_base_url(hostname))
            return None

        municipality = municipality_for_host_cached(hostname)
        if municipality is None:
            return unknown_host_response(request)

        municipality.domain_url = hostname
        request.tenant = municipality  # type: ignore[attr-defined]
        use_municipality(municipality)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        activate_base_url(portal_base_url(hostname))
        return None


class PinnedSchemaMiddleware:
    """Benchmark-only stand-in for ``MunicipalityMiddleware``: every host is served from the pinned schema.

    Settings put it in place when ``AMTSPLATZ_PIN_SCHEMA`` is set (and refuse that outside benchmarks):
    no host lookup, and the connection starts in the pinned schema, so no ``SET search_path`` either.
    It is the single-tenant baseline that bench/routing.py compares the real routing with.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.municipality: Municipality | None = None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self.municipality is None:
            self.municipality = Municipality.objects.get(schema_name=settings.AMTSPLATZ_PINNED_SCHEMA)
        hostname = request.get_host().split(":")[0]
        municipality = copy.copy(self.municipality)
        municipality.domain_url = hostname
        request.tenant = municipality  # type: ignore[attr-defined]
        use_municipality(municipality)
        activate_base_url(portal_base_url(hostname))
        return self.get_response(request)
