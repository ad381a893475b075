"""Reads about municipalities (public schema)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.models import Domain, Municipality


def municipality_for_host(hostname: str) -> Municipality | None:
    """The municipality that answers on ``hostname``, or None."""
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    if domain is None:
        return None
    if domain.is_primary:
        domain.tenant.primary_domain_known(domain.domain)
    municipality: Municipality = domain.tenant  # django-tenants is untyped
    return municipality


def municipality_list() -> QuerySet[Municipality]:
    """All municipalities with their primary domain, alphabetically."""
    municipalities: QuerySet[Municipality] = Municipality.objects.exclude(schema_name="public")
    return municipalities.prefetch_related("domains")


def primary_domains(municipality_ids: list[int]) -> dict[int, str]:
    """Each municipality's primary domain, in one query for any number of them."""
    found = Domain.objects.filter(tenant_id__in=municipality_ids, is_primary=True).values_list("tenant_id", "domain")
    return dict(found)


def active_municipalities() -> QuerySet[Municipality]:
    """Municipalities whose background work runs (suspended ones keep their data but rest)."""
    return municipality_list().filter(status=Municipality.Status.ACTIVE)
