"""Prints, as JSON, every live page of the demo municipalities: ``{host: [[page_type, path], …]}``.

Run in a child process against the demo database (``python -m tests.portal.page_inventory``).
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit


def inventory() -> dict[str, list[list[str]]]:
    from django_tenants.utils import schema_context
    from wagtail.models import Page

    from tenants.demo import DEMO_MUNICIPALITIES
    from tenants.models import Municipality

    found: dict[str, list[list[str]]] = {}
    for demo in DEMO_MUNICIPALITIES:
        municipality = Municipality.objects.get(slug=demo.slug)
        with schema_context(municipality.schema_name):
            pages = Page.objects.live().filter(depth__gt=1).specific().order_by("path")
            found[demo.domain] = [[page._meta.label_lower, urlsplit(page.full_url).path] for page in pages]
            service_key = next(iter(demo.services))
            found[demo.domain].append(["cms.servicedetail", f"/leistungen/{service_key}/"])
            found[demo.domain].append(["applications.start", f"/antraege/{service_key}/"])
    return found


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
    import django

    django.setup()
    print(json.dumps(inventory()))
