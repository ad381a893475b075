"""How fast the office sees which municipalities adopted a service (one query across all schemas).

.venv/bin/python -m bench.adoption [--tenants 1000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.fleet import FLEET_DATABASE, FLEET_SETTINGS, PREFIX, fleet_database_ready
from bench.report import record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    os.environ.update(FLEET_SETTINGS)
    fleet_database_ready(FLEET_DATABASE, args.tenants)
    from django_tenants.utils import schema_context

    from services_catalog.local.models import LocalService
    from services_catalog.local.services import service_adopt
    from services_catalog.models import ServiceDefinition
    from services_catalog.selectors import adoption_overview
    from tenants.models import Municipality

    definition = ServiceDefinition.objects.get(key="bewohnerparkausweis")
    fleet = list(Municipality.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    for municipality in fleet[::2]:  # every second municipality offers the service
        with schema_context(municipality.schema_name):
            if not LocalService.objects.filter(definition=definition).exists():
                service_adopt(definition=definition)

    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        adoptions = adoption_overview(definition)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    lines = [
        f"municipalities: {len(fleet) + 1}, adopting the service: {len(adoptions)}",
        f"adoption overview (one UNION ALL query): median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms",
    ]
    print("\n".join(lines))
    record("adoption", f"python -m bench.adoption --tenants {args.tenants} --repeat {args.repeat}", lines)


if __name__ == "__main__":
    main()
