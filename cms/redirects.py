"""Wagtail's redirects for municipality portals only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail.contrib.redirects.middleware import RedirectMiddleware

from tenants.models import Municipality


class PortalRedirectMiddleware(RedirectMiddleware):
    """Editors' redirects on a 404 of a portal; the platform host has no Wagtail site to look them up in."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not isinstance(getattr(request, "tenant", None), Municipality):
            return response
        return super().process_response(request, response)
