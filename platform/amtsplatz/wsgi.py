"""WSGI entry point (gunicorn amtsplatz.wsgi)."""

import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
application = get_wsgi_application()

# Import every view now rather than on a first request, then move all that is loaded (Django,
# Wagtail, the URL confs: a few hundred thousand objects that live as long as the process) out of
# the garbage collector's reach: the full collections that requests trigger now and then scan only
# what requests created, instead of pausing a request to walk the whole heap.
for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF):
    get_resolver(urlconf).url_patterns  # noqa: B018 (imports the views)
gc.freeze()
