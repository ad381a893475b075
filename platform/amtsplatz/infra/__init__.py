"""Shared infrastructure of the platform package: storage, uploads, PDF, caches, the database backend,
embedded servers, observability, edge security, staff two-factor, Stripe gateway, abuse checks, formats and
the registries through which capabilities cooperate without importing each other (ADR 0089).

Layer 0 of DESIGN.md: imports no capability and none of the wiring (settings, URL confs, Celery, API).
"""
