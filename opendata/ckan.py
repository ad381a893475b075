"""A read-only subset of the CKAN Action API (package_list, package_show, package_search) over catalogue records.

Harvesters (GovData runs CKAN) and CKAN clients read a portal like a CKAN instance; on the platform host
the package names carry the municipality (``gera--baeume``), and ``organization`` is the municipality.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from opendata.selectors import Record, ckan_licence_id, media_type, search_records
from opendata.vocabularies import Licence, Theme

MAX_ROWS = 1000
_FQ_TERM = re.compile(r'(?P<field>[a-z_]+):(?:"(?P<quoted>[^"]*)"|(?P<plain>[^\s"]+))')
FQ_FIELDS = {"tags": "keyword", "groups": "theme", "organization": "organization", "res_format": "fmt"}


class CkanError(Exception):
    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


def package_name(record: Record, platform: bool) -> str:
    return f"{record['municipality']['slug']}--{record['id']}" if platform else str(record["id"])


def package(record: Record, platform: bool) -> dict[str, Any]:
    municipality = record["municipality"]
    name = package_name(record, platform)
    modified = record["modified"] or record["issued"]
    return {
        "id": name,
        "name": name,
        "title": record["title"],
        "notes": record["description"],
        "url": record["landing_page"],
        "state": "active",
        "private": False,
        "type": "dataset",
        "license_id": ckan_licence_id(record["licence"]),
        "license_title": str(Licence(record["licence"]).label),
        "author": record["publisher"],
        "maintainer": record["contact_name"],
        "maintainer_email": record["contact_email"] or None,
        "metadata_created": record["issued"],
        "metadata_modified": modified,
        "organization": {"name": municipality["slug"], "title": municipality["name"], "type": "organization"},
        "owner_org": municipality["slug"],
        "groups": [{"name": record["theme"].lower(), "title": str(Theme(record["theme"]).label)}],
        "tags": [{"name": keyword, "display_name": keyword} for keyword in record["keywords"]],
        "num_tags": len(record["keywords"]),
        "resources": [
            {
                "id": item["id"],
                "package_id": name,
                "name": item["title"],
                "url": item["access_url"],
                "format": item["format"].upper(),
                "mimetype": media_type(item["format"]),
                "size": item["size"],
                "last_modified": item["modified"],
            }
            for item in record["distributions"]
        ],
        "num_resources": len(record["distributions"]),
        "extras": [
            {
                "key": "politicalGeocodingURI",
                "value": f"http://dcat-ap.de/def/politicalGeocoding/municipalityKey/{municipality['ags']}",
            },
            {"key": "licenseAttributionByText", "value": record["attribution"]},
            {"key": "generated", "value": "true" if record["generated"] else "false"},
        ],
    }


def _parameters(request: HttpRequest) -> dict[str, Any]:
    """GET parameters, or the JSON body CKAN clients POST."""
    if request.method == "POST" and request.body:
        try:
            body = json.loads(request.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CkanError(400, "Validation Error", _("The request body is not valid JSON.")) from error
        if not isinstance(body, dict):
            raise CkanError(400, "Validation Error", _("The request body must be a JSON object."))
        return body
    return {key: request.GET.get(key) for key in request.GET}


def _integer(value: Any, name: str, default: int, maximum: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise CkanError(409, "Validation Error", _("“%(name)s” must be a whole number.") % {"name": name}) from error
    if number < 0:
        raise CkanError(409, "Validation Error", _("“%(name)s” must not be negative.") % {"name": name})
    return min(number, maximum)


def _filters(fq: str) -> dict[str, str]:
    filters: dict[str, str] = {}
    for match in _FQ_TERM.finditer(fq or ""):
        field = FQ_FIELDS.get(match["field"])
        if field is None:
            message = _("fq supports tags, groups, organization and res_format, not “%(field)s”.")
            raise CkanError(409, "Validation Error", message % {"field": match["field"]})
        value = match["quoted"] if match["quoted"] is not None else match["plain"]
        filters[field] = value.upper() if field == "theme" else value.lower() if field == "fmt" else value
    return filters


def package_list(records: list[Record], platform: bool, parameters: dict[str, Any]) -> list[str]:
    names = sorted(package_name(record, platform) for record in records)
    offset = _integer(parameters.get("offset"), "offset", 0, 10**9)
    limit = _integer(parameters.get("limit"), "limit", len(names), 10**9)
    return names[offset : offset + limit]


def package_show(records: list[Record], platform: bool, parameters: dict[str, Any]) -> dict[str, Any]:
    wanted = str(parameters.get("id") or parameters.get("name") or "")
    for record in records:
        if package_name(record, platform) == wanted:
            return package(record, platform)
    raise CkanError(404, "Not Found Error", _("No data set “%(name)s”.") % {"name": wanted})


def package_search(records: list[Record], platform: bool, parameters: dict[str, Any]) -> dict[str, Any]:
    q = str(parameters.get("q") or "").strip()
    if q in ("*:*", "*"):
        q = ""
    found = search_records(records, q=q, **_filters(str(parameters.get("fq") or "")))
    found.sort(key=lambda record: package_name(record, platform))
    rows = _integer(parameters.get("rows"), "rows", 10, MAX_ROWS)
    start = _integer(parameters.get("start"), "start", 0, 10**9)
    return {
        "count": len(found),
        "sort": "name asc",
        "facets": {},
        "search_facets": {},
        "results": [package(record, platform) for record in found[start : start + rows]],
    }


ACTIONS = {"package_list": package_list, "package_show": package_show, "package_search": package_search}


def answer(request: HttpRequest, action: str, records: list[Record], platform: bool) -> JsonResponse:
    help_url = request.build_absolute_uri(request.path)
    handler = ACTIONS.get(action)
    try:
        if handler is None:
            raise CkanError(400, "Bad request - Action Error", _("Unknown action “%(action)s”.") % {"action": action})
        result = handler(records, platform, _parameters(request))
    except CkanError as error:
        body = {"help": help_url, "success": False, "error": {"__type": error.kind, "message": error.message}}
        return JsonResponse(body, status=error.status)
    return JsonResponse({"help": help_url, "success": True, "result": result})
