"""The Celery app: every task carries the schema it was queued from (tenant-schemas-celery)."""

from __future__ import annotations

import os
from typing import Any

from celery.signals import task_prerun
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
