"""The phone desk in /cms/: one dense screen per service with every fact a caller may ask about."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from offices.forms import FinderForm
from offices.selectors import Address, responsible_office
from services_catalog.local.selectors import offered_service, offered_services


def _language() -> str:
    return (get_language() or "de")[:2]


def phone_index(request: HttpRequest) -> HttpResponse:
    """Search the municipality's services; each result opens its phone view."""
    query = request.GET.get("q", "").strip()[:200]
    services = offered_services(language=_language(), query=query)
    return render(request, "offices/staff/phone_index.html", {"services": services, "query": query})


def phone_view(request: HttpRequest, service_key: str) -> HttpResponse:
    """The merged view (catalogue + local overrides) with the responsible office and its status now."""
    language = _language()
    service = offered_service(service_key, language=language)
    if service is None:
        raise Http404
    form = FinderForm(request.GET or None)
    address = Address()
    status = 200
    if form.is_bound:
        if form.is_valid():
            address = Address.parse(form.cleaned_data["plz"], form.cleaned_data["strasse"])
        else:
            status = 400
    context = {
        "service": service,
        "form": form,
        "responsibility": responsible_office(service_key, address=address, language=language),
        "now": timezone.now(),
        "version": service.version,
    }
    return render(request, "offices/staff/phone_view.html", context, status=status)
