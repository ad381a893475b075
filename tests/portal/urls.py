"""The tenant URL conf plus two plain views, for page cache tests (a page with a form, one without)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from amtsplatz.urls_tenant import urlpatterns as tenant_urlpatterns


def plain_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>Öffnungszeiten</p>")


def form_view(request: HttpRequest) -> HttpResponse:
    token = get_token(request)
    return HttpResponse(f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}"></form>')


urlpatterns = [
    path("test-ohne-formular/", plain_view),
    path("test-formular/", form_view),
    *tenant_urlpatterns,
]
