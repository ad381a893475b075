"""The Celery app: every task carries the schema it was queued from (tenant-schemas-celery)."""

from __future__ import annotations

import os
from typing import Any

from celery.signals import task_failure, task_postrun, task_prerun, task_retry, task_success, worker_ready
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")

app = CeleryApp("amtsplatz")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect(dispatch_uid="amtsplatz_bind_portal_base_url")
def bind_portal_base_url(**kwargs: Any) -> None:
    """After tenant-schemas-celery switched the schema, point absolute links at that portal."""
    from django.conf import settings

    from tenants.context import activate_base_url, municipality_base_url, portal_base_url
    from tenants.db import current_tenant
    from tenants.models import Municipality

    tenant = current_tenant()
    if isinstance(tenant, Municipality):
        activate_base_url(municipality_base_url(tenant))
    else:
        activate_base_url(portal_base_url(settings.PLATFORM_HOSTS[0]))


# --- Operations: task outcomes for Prometheus, the task id as request id in logs -----------------------
def _connect_task_metrics() -> None:
    from amtsplatz.infra.observability.metrics import task_outcome

    task_success.connect(task_outcome("success"), weak=False, dispatch_uid="amtsplatz_task_success")
    task_failure.connect(task_outcome("failure"), weak=False, dispatch_uid="amtsplatz_task_failure")
    task_retry.connect(task_outcome("retry"), weak=False, dispatch_uid="amtsplatz_task_retry")


_connect_task_metrics()


@task_prerun.connect(dispatch_uid="amtsplatz_task_log_context")
def bind_task_id(task_id: str = "", **kwargs: Any) -> None:
    from amtsplatz.infra.observability.logs import request_id

    request_id.set(task_id or "-")


@task_postrun.connect(dispatch_uid="amtsplatz_task_log_context_reset")
def unbind_task_id(**kwargs: Any) -> None:
    from amtsplatz.infra.observability.logs import request_id

    request_id.set("-")


@worker_ready.connect(dispatch_uid="amtsplatz_worker_metrics")
def serve_worker_metrics(**kwargs: Any) -> None:
    """With AMTSPLATZ_WORKER_METRICS_PORT set, the worker serves its own /metrics (a pod of its own in a cluster)."""
    port = os.environ.get("AMTSPLATZ_WORKER_METRICS_PORT", "")
    if port:
        from prometheus_client import start_http_server

        from amtsplatz.infra.observability.metrics import registry

        start_http_server(int(port), registry=registry())
