"""Settings for bench.migrate: Amtsplatz plus the bench-only tenant app ``bench.probe``.

AMTSPLATZ_BENCH_MIGRATIONS=v1 (one migration) or v2 (plus the added column) picks its migrations.
"""

from amtsplatz.settings import *  # noqa: F403
from amtsplatz.settings import INSTALLED_APPS, TENANT_APPS

TENANT_APPS = [*TENANT_APPS, "bench.probe"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.probe"]
MIGRATION_MODULES = {"probe": f"bench.probe.migrations_{os.environ.get('AMTSPLATZ_BENCH_MIGRATIONS', 'v1')}"}  # noqa: F405
