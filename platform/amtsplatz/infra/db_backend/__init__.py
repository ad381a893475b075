"""PostgreSQL backend: django-tenants' wrapper that issues ``SET search_path`` only when it changes.

See ``base.py`` and docs/decisions/0020-search-path-in-effect.md.
"""
