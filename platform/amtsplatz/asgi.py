"""ASGI entry point. Tenant work stays synchronous (django-tenants #820, #1168)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
application = get_asgi_application()
