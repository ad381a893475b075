"""Structured logs: every line carries the request id (or Celery task id) and the schema it was written in."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# An id from the proxy in front (nginx $request_id, an ingress) is kept when it looks like one.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
access_logger = logging.getLogger("amtsplatz.request")


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``schema`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.schema = _current_schema()
        return True


def _current_schema() -> str:
    try:
        from django.db import connection

        return str(getattr(connection, "schema_name", "-"))
    except Exception:  # logging before Django is set up, or from a thread without a connection
        return "-"


class RequestIdMiddleware:
    """Gives each request an id (kept from X-Request-ID when valid), echoes it, and writes one access log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        token = request_id.set(incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "host": request.get_host() if _host_is_valid(request) else "-",
                },
            )
            return response
        finally:
            request_id.reset(token)


def _host_is_valid(request: HttpRequest) -> bool:
    try:
        request.get_host()
    except Exception:
        return False
    return True


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    """Django's LOGGING: JSON lines (production) or readable text, both with request id and schema."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(schema)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json
        else {"format": "%(asctime)s %(levelname)s [%(request_id)s %(schema)s] %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "amtsplatz.infra.observability.logs.ContextFilter"}},
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Wagtail logs every page change and inline task at INFO.
            "django_tasks": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # Our access line replaces Django's own request logging of 4xx answers.
            "django.request": {"level": "ERROR"},
        },
    }
