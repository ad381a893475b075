"""Content-Security-Policy on every answer (django-csp), a nonce per request, and the violation report endpoint.

``AMTSPLATZ_CSP_MODE`` decides whether the policy is enforced (default, production) or only reported
(``report-only``: the test suite's servers, and an installation that wants to watch a new policy first). Either
way browsers send violations to ``/csp-report``, which logs them (docs/security.md).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amtsplatz.infra.security.csp_policies import policy_for_path

logger = logging.getLogger(__name__)

MAX_REPORT_BYTES = 16 * 1024


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the policy chosen by area (portal, ``/cms/``, ``/office/``)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if parts.config is None:
            # The header of the mode in force gets the area's policy; the other one none ({} builds no header).
            wanted = report_only == (settings.AMTSPLATZ_CSP_MODE == "report-only")
            parts.config = default_config(policy_for_path(request.path_info)) if wanted else {}
        return parts


def nonce_used(request: HttpRequest) -> str | None:
    """The nonce that went into this request's page, if the page used one."""
    nonce = getattr(request, "_csp_nonce", None)
    return nonce if isinstance(nonce, str) else None


def nonce_renewed(content: bytes, old: str | None, request: HttpRequest) -> bytes:
    """A stored page with the current request's nonce in place of the one it was rendered with (page cache)."""
    if not old or not hasattr(request, "csp_nonce"):
        return content
    return content.replace(f'nonce="{old}"'.encode(), f'nonce="{request.csp_nonce}"'.encode())


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Logs the violations a browser reports (``application/csp-report`` or the Reporting API's list).

    Only the directive, the origin of what was blocked and the page's first path segment are logged: page
    paths can carry tokens (an application's status link), blocked URLs query strings.
    """
    if len(request.body) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    for report in _reports(payload):
        logger.warning(
            "CSP violation: %s blocked %s on %s",
            str(report.get("effective-directive") or report.get("violated-directive") or "?")[:60],
            _origin(report.get("blocked-uri") or report.get("blockedURL")),
            _page(report.get("document-uri") or report.get("documentURL")),
            extra={"csp_disposition": str(report.get("disposition", ""))[:20]},
        )
    return HttpResponse(status=204)


def _reports(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if isinstance(payload, list):
        return [item["body"] for item in payload[:20] if isinstance(item, dict) and isinstance(item.get("body"), dict)]
    return []


def _origin(value: Any) -> str:
    text = str(value or "")
    if text in ("inline", "eval", "wasm-eval", "data", "blob", "self") or "://" not in text:
        return text[:20] or "?"
    parts = urlsplit(text)
    return f"{parts.scheme}://{parts.netloc}"[:100]


def _page(value: Any) -> str:
    segment = urlsplit(str(value or "")).path.strip("/").split("/", 1)[0]
    return f"/{segment[:40]}"
