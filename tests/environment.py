"""Loaded with ``-p tests.environment`` before Django's settings are read.

Gives each test process its own Redis namespace (cache keys and Celery queue) and media folder,
so parallel workers, and parallel runs on one Redis, never see each other's keys or tasks.
"""

import os
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
# Assigned, not defaulted: xdist workers inherit the controller's environment, and two workers
# sharing one queue would run each other's tasks against the wrong test database.
os.environ["AMTSPLATZ_REDIS_NAMESPACE"] = f"amtsplatz-test-{_worker}-{os.getpid()}"
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"amtsplatz-media-{_worker}-")
os.environ["PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix=f"amtsplatz-private-{_worker}-")
# Cached pages outlive each test's rolled-back transaction: off, except where a test switches it on
# (tests/portal/test_page_cache.py). Assigned, so a value in the developer's shell cannot leak in.
os.environ["AMTSPLATZ_PAGE_CACHE_SECONDS"] = "0"
# Administrators must enrol a second factor; the suite's many admin logins predate that. Off, except where a
# test switches it on (tests/security/test_two_factor.py). Assigned for the same reason as above.
os.environ["AMTSPLATZ_STAFF_2FA_MANDATORY"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
