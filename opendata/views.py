"""Pages and files of a municipality's open data portal (its host): list, data set, downloads, catalogue, live API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from opendata import ckan, presentation
from opendata.catalogue import FORMATS, SUFFIX_TO_FORMAT, municipality_catalogue, municipality_records
from opendata.models import Dataset, FileVersion
from opendata.selectors import (
    facet_values,
    generated_provider,
    generated_rows,
    latest_points,
    public_dataset,
    public_file_version,
    search_records,
)
from opendata.services import private_storage, series_append, series_token_valid
from opendata.vocabularies import FORMATS as FILE_FORMATS
from opendata.vocabularies import LICENCE_NEEDS_ATTRIBUTION, Licence, Theme, licence_uri
from tenants.context import portal_base_url
from tenants.db import current_municipality

PAGE_SIZE = 20


def _base_url(request: HttpRequest) -> str:
    return portal_base_url(request.get_host().split(":")[0])


def records(request: HttpRequest) -> list[dict[str, Any]]:
    municipality = current_municipality()
    return municipality_records(municipality, _base_url(request))


def listing_context(request: HttpRequest, all_records: list[dict[str, Any]]) -> dict[str, Any]:
    """Search and filters of a data list page (also used by the platform host)."""
    filters = {name: request.GET.get(name, "").strip() for name in ("q", "theme", "keyword", "format", "organization")}
    found = search_records(
        all_records, q=filters["q"], theme=filters["theme"], keyword=filters["keyword"], fmt=filters["format"],
        organization=filters["organization"],
    )  # fmt: skip
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("seite"))
    facets = facet_values(all_records)
    query = request.GET.copy()
    query.pop("seite", None)
    return {
        "filters": filters,
        "page": page,
        "count": len(found),
        "themes": [(code, Theme(code).label, count) for code, count in facets["theme"]],
        "keywords": facets["keyword"][:30],
        "formats": [(fmt, fmt.upper(), count) for fmt, count in facets["format"]],
        "organizations": facets["organization"],
        "query": query.urlencode(),
    }


@never_cache
@require_GET
def data_list(request: HttpRequest) -> HttpResponse:
    context = listing_context(request, records(request))
    return render(request, "opendata/list.html", context)


def _licence(code: str) -> dict[str, Any]:
    licence = Licence(code)
    return {"label": licence.label, "uri": licence_uri(code), "attribution": licence in LICENCE_NEEDS_ATTRIBUTION}


@never_cache
@require_GET
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    provider = generated_provider(slug)
    if provider is not None:
        return _generated_page(request, slug, provider)
    found = public_dataset(slug)
    if found is None:
        raise Http404
    distributions = []
    table: dict[str, Any] | None = None
    shown: FileVersion | None = None
    for distribution in found.distributions.all():
        version = distribution.current_version()
        history = sorted(distribution.versions.all(), key=lambda item: -item.number)
        distributions.append({"distribution": distribution, "version": version, "history": history[1:]})
        if shown is None and version is not None and version.columns:
            shown = version
            table = {"distribution": distribution, "version": version}
    context: dict[str, Any] = {
        "dataset": found,
        "publisher": found.publisher_name or current_municipality().name,
        "licence": _licence(found.licence),
        "distributions": distributions,
        "table": table,
    }
    if shown is not None:
        context["chart"] = presentation.bar_chart(shown.columns, shown.preview)
        context["points"] = shown.points
    if found.is_timeseries:
        points = latest_points(found)
        context["series"] = [
            (point.observed_at, [point.values.get(f) for f in found.series_fields]) for point in points
        ]
        columns = [{"name": "observed_at", "type": "datetime"}] + [
            {"name": field, "type": "decimal"} for field in found.series_fields
        ]
        rows = [[point.observed_at.isoformat(timespec="minutes")] + [point.values.get(f) for f in found.series_fields]
                for point in reversed(points)]  # fmt: skip
        context["series_chart"] = presentation.bar_chart(columns, rows)
    return render(request, "opendata/dataset.html", context)


def _generated_page(request: HttpRequest, slug: str, provider: Any) -> HttpResponse:
    municipality = current_municipality()
    columns, rows = generated_rows(provider)
    table_rows = presentation.rows_from_records(columns, rows)
    types = dict(provider.columns)
    column_info = [{"name": name, "type": types.get(name, "text")} for name in columns]
    context = {
        "generated": provider,
        "key": slug,
        "publisher": municipality.name,
        "licence": _licence(Licence.DL_ZERO),
        "columns": column_info,
        "rows": table_rows[:200],
        "row_count": len(table_rows),
        "chart": presentation.bar_chart(column_info, table_rows[:20]),
        "k": settings.OPENDATA_K_ANONYMITY,
    }
    return render(request, "opendata/generated.html", context)


@never_cache
@require_GET
def generated_file(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    provider = generated_provider(key)
    if provider is None or fmt not in ("csv", "json"):
        raise Http404
    columns, rows = generated_rows(provider)
    if fmt == "json":
        response: HttpResponse = JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.{fmt}"'
    return response


@never_cache
@require_GET
def download(request: HttpRequest, slug: str, pk: int, number: int | None = None) -> FileResponse:
    """A file of a published data set, streamed from the private storage (no public URL exists for it)."""
    version = public_file_version(slug=slug, distribution_id=pk, number=number)
    if version is None:
        raise Http404
    handle = private_storage().open(version.storage_name, "rb")
    fmt = version.distribution.format
    response = FileResponse(handle, as_attachment=True, filename=version.original_name,
                            content_type=FILE_FORMATS[fmt][1])  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def series_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found = Dataset.objects.filter(slug=slug, is_published=True, is_timeseries=True).first()
    if found is None:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["observed_at", *found.series_fields])
    for point in found.points.order_by("observed_at", "pk").iterator():
        writer.writerow([point.observed_at.isoformat(), *(point.values.get(name) for name in found.series_fields)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return response


@require_GET
def catalogue(request: HttpRequest, suffix: str) -> HttpResponse:
    fmt = SUFFIX_TO_FORMAT.get(suffix)
    if fmt is None:
        raise Http404
    body = municipality_catalogue(current_municipality(), _base_url(request), fmt)
    return HttpResponse(body, content_type=f"{FORMATS[fmt][1]}; charset=utf-8")


def _api_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def series_api(request: HttpRequest, slug: str) -> JsonResponse:
    """Live data: GET the latest values; POST new values with ``Authorization: Bearer <token of the data set>``."""
    found = Dataset.objects.filter(slug=slug, is_timeseries=True).first()
    if request.method == "GET":
        if found is None or not found.is_published:
            return _api_error(_("No published live data set with this name."), 404)
        values = [{"observed_at": point.observed_at.isoformat(), **point.values} for point in latest_points(found)]
        return JsonResponse({"dataset": slug, "latest": values})
    authorization = request.headers.get("Authorization", "")
    token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else ""
    if found is None or not token or not series_token_valid(found, token):
        return _api_error(_("Wrong or missing token. Send “Authorization: Bearer <token of this data set>”."), 401)
    try:
        body = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _api_error(_("The request body is not valid JSON."), 400)
    items = body.get("values") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return _api_error(_("Send a JSON object with a list “values”."), 400)
    try:
        added = series_append(dataset=found, items=items)
    except ValidationError as error:
        return _api_error(" ".join(error.messages), 400)
    return JsonResponse({"added": added}, status=201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ckan_action(request: HttpRequest, action: str) -> JsonResponse:
    return ckan.answer(request, action, records(request), platform=False)
