"""Keeps the catalogues fresh: a change to a data set replaces its municipality's records after commit."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from tenants.db import on_commit_in_current_schema

_SENDERS = ("Dataset", "Distribution", "FileVersion")


def _changed(sender: Any, **kwargs: Any) -> None:
    from opendata.services import catalogue_refresh

    on_commit_in_current_schema(catalogue_refresh)


def connect() -> None:
    from opendata import models

    for name in _SENDERS:
        model = getattr(models, name)
        post_save.connect(_changed, sender=model, dispatch_uid=f"opendata-{name}-saved")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"opendata-{name}-deleted")
