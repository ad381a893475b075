"""Platform tasks."""

from __future__ import annotations

from django.conf import settings
from django_tenants.utils import get_public_schema_name

from amtsplatz.celery import app
from tenants.db import current_schema


@app.task(name="core.worker_probe", ignore_result=False)
def worker_probe() -> dict[str, str]:
    """Report the schema the worker ran in, the site it sees there and its absolute base URL."""
    site_name = ""
    if current_schema() != get_public_schema_name():
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        site_name = site.site_name if site else ""
    return {
        "schema": current_schema(),
        "site_name": site_name,
        "base_url": str(settings.WAGTAILADMIN_BASE_URL),
    }
