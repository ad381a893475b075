"""The fleet: one bench database with 1,000 municipalities, shared by bench.scale, bench.adoption and bench.migrate.

Created once by the fast onboarding (cloning the template schema) and kept between runs, so only the
first run on a machine pays for the clones. The fleet database is always set up with the settings of
bench.migrate (Amtsplatz plus the bench-only tenant app ``bench.probe``), so every benchmark finds
the same schemas in it whichever of them created it.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.models import Municipality

PREFIX = "bench-"
PORTAL_SLUG = "benchscale"  # the one municipality set up like the demo's Gera, whose pages are measured
FLEET_DATABASE = "amtsplatz_bench_fleet"
FLEET_SETTINGS = {"DJANGO_SETTINGS_MODULE": "bench.migrate_settings", "AMTSPLATZ_BENCH_MIGRATIONS": "v1"}


def _create(index: int) -> None:
    from tenants.services import municipality_create

    slug = f"{PREFIX}{index:04d}"
    municipality_create(
        name=f"Benchgemeinde {index:04d}", slug=slug, domain=f"{slug}.bench.localhost",
        ags=f"14{index:06d}", state="14", admin_email=f"it@{slug}.example",
    )  # fmt: skip


def ensure_fleet(count: int, *, processes: int = 2) -> list[Municipality]:
    """At least ``count`` bench municipalities (bench-0001 …), created by cloning when missing.

    The clones are made by ``processes`` forked workers (PostgreSQL does most of the work, so two
    workers on two cores nearly halve the time); progress is printed every 50 municipalities.
    """
    from django.db import connections

    from tenants.models import Municipality

    existing = set(Municipality.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True))
    missing = [index for index in range(1, count + 1) if f"{PREFIX}{index:04d}" not in existing]
    if missing:
        print(f"  creating {len(missing)} bench municipalities by cloning (once per machine) …", flush=True)
        started = time.perf_counter()
        connections.close_all()  # forked workers must not share this process's database socket
        with multiprocessing.get_context("fork").Pool(processes=processes) as pool:
            for done, _ in enumerate(pool.imap_unordered(_create, missing), start=1):
                if done % 50 == 0 or done == len(missing):
                    elapsed = time.perf_counter() - started
                    print(f"  created {done}/{len(missing)} municipalities ({elapsed:.0f} s)", flush=True)
    return list(Municipality.objects.filter(slug__startswith=PREFIX).order_by("slug")[:count])


def fleet_database_ready(database: str, count: int) -> int:
    """In this process: ``database`` with the measured portal and bench municipalities, ``count`` in all.

    Call it with ``FLEET_SETTINGS`` in the environment, before Django is set up; returns the count.
    """
    from bench.harness import django_ready

    django_ready(database)
    from tenants.models import Municipality

    ensure_portal(PORTAL_SLUG, "Benchstadt Skala", "14050004")
    others = Municipality.objects.exclude(schema_name="public").exclude(slug=PORTAL_SLUG)
    missing = count - 1 - others.exclude(slug__startswith=PREFIX).count()
    ensure_fleet(max(missing, 0))
    return Municipality.objects.exclude(schema_name="public").count()


def ensure_portal(slug: str, name: str, ags: str) -> str:
    """A municipality set up like the demo's Gera (default pages, Gera's services adopted); returns its host."""
    from django_tenants.utils import schema_context

    from cms.page_cache import page_cache_purge
    from cms.services import portal_skeleton_ensure
    from demo.seed import DEMO_MUNICIPALITIES, seed_catalogue
    from services_catalog.local.models import LocalService
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
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
