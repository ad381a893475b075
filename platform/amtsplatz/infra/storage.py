"""File storages that put every file of a municipality under ``<schema>/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django_tenants.files.storage import TenantFileSystemStorage as _TenantFileSystemStorage
from storages.backends.s3 import S3Storage

from tenants.db import current_schema


class TenantFileSystemStorage(_TenantFileSystemStorage):
    """Local files under MEDIA_ROOT/<schema>/ (django-tenants' storage)."""


class TenantS3Storage(S3Storage):
    """S3 objects under <schema>/ in one bucket; the prefix follows the active schema."""

    @property
    def location(self) -> str:
        return current_schema()

    @location.setter
    def location(self, value: str) -> None:
        """The prefix is always the schema; a configured location is ignored."""


class PrivateTenantFileSystemStorage(FileSystemStorage):
    """Local files under PRIVATE_MEDIA_ROOT/<schema>/: outside MEDIA_ROOT, never served by URL."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / current_schema())

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; stream them through a view that checks access.")


class PrivateTenantS3Storage(TenantS3Storage):
    """Private S3 objects under <schema>/; downloads go through a view, never a public or signed link."""

    def url(self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None) -> str:
        raise ValueError("Private files have no public URL; stream them through a view that checks access.")


def private_storage() -> Storage:
    """The storage of private files (attachments, decisions, report photos): never reachable by a public URL."""
    return storages["private"]
