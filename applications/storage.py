"""Where application files live: the private storage (never reachable by a public URL)."""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]
