"""Prometheus metrics with prometheus_client: requests by tenant and status, task outcomes, queue length.

Under gunicorn (several worker processes) and Celery's prefork pool, set PROMETHEUS_MULTIPROC_DIR to
an empty folder shared by the processes of one host or pod: each process writes its samples there
and ``/metrics`` adds them up (prometheus_client's multiprocess mode; deploy/gunicorn.conf.py removes
a stopped worker's live gauges). The queue length is read from the broker at scrape time.

``/metrics`` answers only a request with ``Authorization: Bearer $AMTSPLATZ_METRICS_TOKEN``; without a
token configured, or with a wrong one, it is an ordinary unknown page (see ADR 0012).
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # Any process (management commands included) writes its samples there; the folder may not exist yet.
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

HTTP_REQUESTS = Counter(
    "amtsplatz_http_requests",
    "HTTP requests answered, by municipality schema (public: platform host; unknown: no such host) and status.",
    ["schema", "status"],
)
HTTP_DURATION = Histogram(
    "amtsplatz_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CACHE_OUTAGES = Counter("amtsplatz_cache_outages", "Times this process found the cache's Redis unreachable.")
CACHE_UNAVAILABLE = Counter(
    "amtsplatz_cache_unavailable",
    "Cache calls answered without Redis (a miss, a skipped write, or CacheUnavailable), by operation.",
    ["operation"],
)
TASKS = Counter("amtsplatz_celery_tasks", "Celery tasks finished, by task name and outcome.", ["task", "outcome"])


class QueueLengthCollector(Collector):
    """Messages waiting in the Celery queue, asked from the broker when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from amtsplatz.celery import app

        family = GaugeMetricFamily(
            "amtsplatz_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        try:
            with app.connection_for_read() as broker:
                broker.ensure_connection(max_retries=1, timeout=2)
                # Not passive: before the first worker declared it, the queue exists with length 0.
                declared = broker.default_channel.queue_declare(queue=queue)
            family.add_metric([queue], float(declared.message_count))
        except Exception:
            logger.warning("Queue length of %s unavailable", queue, exc_info=True)
        yield family


def registry() -> CollectorRegistry:
    """What /metrics shows: the samples of all processes (multiprocess mode) or of this one, plus the queue."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        MultiProcessCollector(collected)
    else:
        collected = REGISTRY
    if not getattr(collected, "_amtsplatz_queue", False):
        collected.register(QueueLengthCollector())
        collected._amtsplatz_queue = True  # type: ignore[attr-defined]
    return collected


def authorised(request: HttpRequest) -> bool:
    token = str(getattr(settings, "AMTSPLATZ_METRICS_TOKEN", ""))
    offered = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())


class MetricsMiddleware:
    """Counts every answer by schema and status; serves /metrics to the scraper that brings the token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/metrics" and authorised(request):
            return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
        with HTTP_DURATION.time():
            response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        HTTP_REQUESTS.labels(schema=getattr(tenant, "schema_name", "unknown"), status=str(response.status_code)).inc()
        return response


def task_outcome(outcome: str) -> Callable[..., None]:
    """A Celery signal receiver that counts ``outcome`` for the task it is sent for."""

    def receive(sender: Any = None, **kwargs: Any) -> None:
        name = getattr(sender, "name", None) or str(sender)
        TASKS.labels(task=name, outcome=outcome).inc()

    return receive
