"""Median time to create a municipality by cloning the template vs. migrating from zero.

.venv/bin/python -m bench.onboarding [--clones 9] [--migrations 2]
"""

from __future__ import annotations

import argparse
import time

from bench.harness import django_ready, median
from bench.report import record


def _create_by_migrating(slug: str, name: str) -> None:
    """The same end state as onboarding, but with every migration run on an empty schema."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_context

    from cms.services import portal_personalise, portal_skeleton_ensure

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{slug}"')
    call_command("migrate_schemas", schema_name=slug, tenant=True, interactive=False, verbosity=0)
    with schema_context(slug):
        portal_skeleton_ensure()
        portal_personalise(name=name, hostname=f"{slug}.bench.localhost", port=settings.PORTAL_PORT)


def _drop(slug: str) -> None:
    from django.db import connection

    from tenants.models import Municipality
    from tenants.services import municipality_delete

    municipality = Municipality.objects.filter(slug=slug.replace("_", "-")).first()
    if municipality:
        municipality_delete(municipality)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clones", type=int, default=9)
    parser.add_argument("--migrations", type=int, default=2)
    args = parser.parse_args()

    django_ready("amtsplatz_bench_onboarding")
    from tenants.services import municipality_create

    clone_times: list[float] = []
    for index in range(args.clones):
        slug = f"bench-clone-{index}"
        _drop(slug.replace("-", "_"))
        started = time.perf_counter()
        municipality_create(
            name=f"Benchstadt {index}",
            slug=slug,
            domain=f"{slug}.bench.localhost",
            ags=f"1405{index:04d}",
            state="14",
            admin_email=f"it@{slug}.example",
        )
        clone_times.append(time.perf_counter() - started)
        print(f"clone {index + 1}/{args.clones}: {clone_times[-1]:.3f} s", flush=True)

    migrate_times: list[float] = []
    for index in range(args.migrations):
        slug = f"bench_migrate_{index}"
        _drop(slug)
        started = time.perf_counter()
        _create_by_migrating(slug, f"Migrierstadt {index}")
        migrate_times.append(time.perf_counter() - started)
        print(f"migrate {index + 1}/{args.migrations}: {migrate_times[-1]:.3f} s", flush=True)

    for index in range(args.clones):
        _drop(f"bench_clone_{index}")
    for index in range(args.migrations):
        _drop(f"bench_migrate_{index}")

    figures = {
        "clone_median_s": median(clone_times),
        "migrate_median_s": median(migrate_times),
    }
    figures["ratio"] = figures["migrate_median_s"] / figures["clone_median_s"]
    lines = [
        f"create by cloning   (median of {args.clones}): {figures['clone_median_s']:.3f} s   (goal < 0.5 s)",
        f"create by migrating (median of {args.migrations}): {figures['migrate_median_s']:.3f} s",
        f"ratio: cloning is {figures['ratio']:.1f}x faster   (goal >= 10x)",
    ]
    print()
    print("\n".join(lines))
    record(
        "onboarding",
        f"python -m bench.onboarding --clones {args.clones} --migrations {args.migrations}",
        lines,
    )
    return figures


if __name__ == "__main__":
    main()
