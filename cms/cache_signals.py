"""What purges the anonymous page cache (cms.page_cache); connected by ``CmsConfig.ready``.

Changes inside a municipality (pages, site settings such as the branding, images, documents,
sites, adopted services) purge that municipality; a publication in the shared catalogue purges
every municipality, because any portal may show the service.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, Site
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.models.view_restrictions import BaseViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.page_cache import page_cache_purge, page_cache_purge_all
from services_catalog.models import ServiceVersion

# Saved or deleted in a municipality's schema, these change what its pages show.
TENANT_CONTENT_MODELS: tuple[type[Any], ...] = (
    Page,
    Site,
    BaseViewRestriction,  # a page that became private must leave the cache at once
    BaseSiteSetting,
    BaseGenericSetting,
    AbstractImage,
    AbstractDocument,
)
LOCAL_SERVICES_APP = "local_services"
# A page save that touches only these (saving a draft, locking) changes nothing a visitor sees.
DRAFT_BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        COMMENTS_RELATION_NAME,
    }
)


def _purge_page_event(sender: type[Any], **kwargs: Any) -> None:
    page_cache_purge()


def _purge_tenant_change(sender: type[Any], **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixture loading
    update_fields = kwargs.get("update_fields")
    if issubclass(sender, Page) and update_fields and set(update_fields) <= DRAFT_BOOKKEEPING_FIELDS:
        return
    if issubclass(sender, TENANT_CONTENT_MODELS) or sender._meta.app_label == LOCAL_SERVICES_APP:
        page_cache_purge()


def _purge_catalogue_publication(sender: type[ServiceVersion], created: bool = False, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        page_cache_purge_all()


def connect() -> None:
    """Connect the purges (idempotent: every receiver has a dispatch_uid)."""
    apps.get_app_config(LOCAL_SERVICES_APP)  # fails loudly if the app label ever changes
    page_published.connect(_purge_page_event, dispatch_uid="page_cache_page_published")
    page_unpublished.connect(_purge_page_event, dispatch_uid="page_cache_page_unpublished")
    post_page_move.connect(_purge_page_event, dispatch_uid="page_cache_post_page_move")
    # Generic receivers with a sender check: page subclasses, every settings model, the local services.
    post_save.connect(_purge_tenant_change, dispatch_uid="page_cache_post_save")
    post_delete.connect(_purge_tenant_change, dispatch_uid="page_cache_post_delete")
    post_save.connect(_purge_catalogue_publication, sender=ServiceVersion, dispatch_uid="page_cache_catalogue")
