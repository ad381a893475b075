"""WSGI entry point (gunicorn amtsplatz.wsgi).

gunicorn preloads it in its master process (deploy/gunicorn.conf.py): what is built here, every worker
forked from the master has from its first request on, also a worker that replaces a recycled one.
"""

import gc
import os

from celery.app.backends import by_url
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
application = get_wsgi_application()


def _build_what_first_requests_would() -> None:
    """Import every view, compile the URL patterns and load the catalogues of every language, and import
    the broker's transport and Celery's result backend: each a first request's tenth of a second or more."""
    from amtsplatz.celery import app as celery_app

    for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF):
        resolver = get_resolver(urlconf)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                resolver.reverse_dict  # noqa: B018 (compiles the patterns for reverse() in this language)
    celery_app.connection_for_write().get_transport_cls()  # imports it; connects nowhere
    by_url(celery_app.conf.result_backend, celery_app.loader)


_build_what_first_requests_would()
# Then move all that is loaded (Django, Wagtail, the URL confs: a few hundred thousand objects that
# live as long as the process) out of the garbage collector's reach: the full collections that
# requests trigger now and then scan only what requests created, instead of walking the whole heap,
# and the workers' memory pages shared with the master stay shared.
gc.freeze()
