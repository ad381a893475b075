"""A fleet of bench municipalities in a bench database, created once by the fast onboarding."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.models import Municipality

PREFIX = "bench-"


def ensure_fleet(count: int) -> list[Municipality]:
    """At least ``count`` bench municipalities (bench-0001 …), created by cloning when missing."""
    from tenants.models import Municipality
    from tenants.services import municipality_create

    existing = set(Municipality.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    started = time.perf_counter()
    missing = [index for index in range(1, count + 1) if f"{PREFIX}{index:04d}" not in existing]
    for done, index in enumerate(missing, start=1):
        slug = f"{PREFIX}{index:04d}"
        municipality_create(
            name=f"Benchgemeinde {index:04d}", slug=slug, domain=f"{slug}.bench.localhost",
            ags=f"14{index:06d}", state="14", admin_email=f"it@{slug}.example",
        )  # fmt: skip
        if done % 50 == 0 or done == len(missing):
            elapsed = time.perf_counter() - started
            print(f"  created {done}/{len(missing)} municipalities ({elapsed:.0f} s)", flush=True)
    return list(Municipality.objects.filter(slug__startswith=PREFIX).order_by("slug")[:count])


def ensure_portal(slug: str, name: str, ags: str) -> str:
    """A municipality set up like the demo's Gera (default pages, Gera's services adopted); returns its host."""
    from django_tenants.utils import schema_context

    from cms.page_cache import page_cache_purge
    from cms.services import portal_skeleton_ensure
    from services_catalog.local.models import LocalService
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
    from tenants.demo import DEMO_MUNICIPALITIES, seed_catalogue
    from tenants.models import Municipality
    from tenants.services import municipality_create

    host = f"{slug}.bench.localhost"
    seed_catalogue()
    if not Municipality.objects.filter(slug=slug).exists():
        municipality_create(name=name, slug=slug, domain=host, ags=ags, state="14", admin_email=f"it@{slug}.example")
    services = DEMO_MUNICIPALITIES[0].services
    with schema_context(slug):
        portal_skeleton_ensure()
        adopted = set(LocalService.objects.values_list("definition__key", flat=True))
        for definition in ServiceDefinition.objects.filter(key__in=services).exclude(key__in=adopted):
            service_adopt(definition=definition, **services[definition.key])
    page_cache_purge(slug)  # autocommit: at once
    return host
