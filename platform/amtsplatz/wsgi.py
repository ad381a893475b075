"""WSGI entry point (gunicorn amtsplatz.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
application = get_wsgi_application()
