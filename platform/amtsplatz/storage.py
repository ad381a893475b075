"""File storages that put every file of a municipality under ``<schema>/``."""

from __future__ import annotations

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
