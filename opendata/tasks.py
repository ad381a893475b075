"""Background work of the open data portal."""

from __future__ import annotations

from django.conf import settings

from amtsplatz.celery import app
from opendata.catalogue import generation, platform_catalogue_build
from tenants.context import portal_base_url
from tenants.db import use_public_schema


@app.task(name="opendata.build_platform_catalogue")
def build_platform_catalogue(for_generation: int) -> bool:
    """Serialise the platform catalogue once per change; a task for an outdated generation does nothing."""
    if generation() != for_generation:
        return False
    use_public_schema()
    platform_catalogue_build(portal_base_url(settings.PLATFORM_HOSTS[0]))
    return True
