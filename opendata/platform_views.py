"""The open data of all municipalities on the platform host: list page, DCAT-AP.de catalogue, CKAN API."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from opendata import ckan
from opendata.catalogue import FORMATS, SUFFIX_TO_FORMAT, platform_catalogue, platform_records
from opendata.views import listing_context
from tenants.context import portal_base_url


@require_GET
def data_list(request: HttpRequest) -> HttpResponse:
    all_records = platform_records()
    context = listing_context(request, all_records)
    names = {record["municipality"]["slug"]: record["municipality"]["name"] for record in all_records}
    context["organizations"] = [(slug, names[slug], count) for slug, count in context["organizations"]]
    return render(request, "opendata/platform_list.html", context)


@require_GET
def catalogue(request: HttpRequest, suffix: str) -> HttpResponse:
    fmt = SUFFIX_TO_FORMAT.get(suffix)
    if fmt is None:
        raise Http404
    body = platform_catalogue(portal_base_url(request.get_host().split(":")[0]), fmt)
    return HttpResponse(body, content_type=f"{FORMATS[fmt][1]}; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ckan_action(request: HttpRequest, action: str) -> JsonResponse:
    return ckan.answer(request, action, platform_records(), platform=True)
