"""The configured database as a postgresql:// URL, for tools outside Django (pg_dump, pg_restore)."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings


def configured_database_url() -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{credentials}{host}{port}/{db['NAME']}"
