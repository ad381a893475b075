"""Amtsplatz project package (folder ``platform/``, import name ``amtsplatz``)."""

from amtsplatz.celery import app as celery_app

__all__ = ["celery_app"]
