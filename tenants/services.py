"""Onboarding and removal of municipalities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from tenants.cloning import clone_schema
from tenants.context import portal_base_url
from tenants.db import schema_ddl_lock, use_public_schema
from tenants.hooks import NewPortal, go_live_missing, portal_setup
from tenants.models import Domain, Municipality, SuspensionReason
from tenants.template_schema import template_schema_name
from tenants.validators import validate_domain


@dataclass(frozen=True)
class OnboardingResult:
    municipality: Municipality
    admin_username: str
    set_password_url: str


def _schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


def municipality_validate(*, name: str, slug: str, domain: str, ags: str, state: str) -> Municipality:
    """Check every input before anything is written; raise ValidationError naming each field."""
    errors: dict[str, list[str]] = {}
    municipality = Municipality(name=name, slug=slug, ags=ags, state=state, schema_name=_schema_name_for(slug))
    try:
        municipality.full_clean(exclude=["schema_name"])  # derived from the slug
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_domain(domain)
    except ValidationError as exc:
        errors.setdefault("domain", []).extend(exc.messages)
    if Domain.objects.filter(domain=domain).exists():
        errors.setdefault("domain", []).append(_("The domain %(domain)s is already in use.") % {"domain": domain})
    if domain in settings.PLATFORM_HOSTS:
        errors.setdefault("domain", []).append(
            _("The domain %(domain)s belongs to the platform itself.") % {"domain": domain}
        )
    if "slug" not in errors and schema_exists(municipality.schema_name):
        errors.setdefault("slug", []).append(
            _("A database schema named %(schema)s exists already.") % {"schema": municipality.schema_name}
        )
    if errors:
        raise ValidationError(errors)
    return municipality


def municipality_create(
    *,
    name: str,
    slug: str,
    domain: str,
    ags: str,
    state: str,
    admin_email: str,
    admin_password: str | None = None,
    kind: str = "",
    legal: dict[str, Any] | None = None,
    **appearance: str | None,
) -> OnboardingResult:
    """Create a municipality by cloning the template schema, all or nothing.

    The schema, its site, branding, default pages and first administrator are created in one
    transaction (PostgreSQL DDL is transactional), so a failure leaves nothing behind.
    The portal's pages and ``appearance`` (theme, font, colours, contact block) are set by the apps that own
    them, through ``tenants.hooks`` (cms: pages and site; themes: branding and the ``legal`` facts).
    """
    municipality = municipality_validate(name=name, slug=slug, domain=domain, ags=ags, state=state)
    if kind:
        municipality.kind = kind
    if not schema_exists(template_schema_name()):
        raise ValidationError(_("The template schema is missing; run 'python manage.py migrate_all' first."))
    with transaction.atomic():
        schema_ddl_lock(exclusive=False)  # a removal running now would deadlock with the clone's foreign keys
        municipality.save()
        Domain.objects.create(domain=domain, tenant=municipality, is_primary=True)
        clone_schema(template_schema_name(), municipality.schema_name)
        with schema_context(municipality.schema_name):
            portal_setup(
                NewPortal(
                    name=name, hostname=domain, port=settings.PORTAL_PORT, appearance=appearance, legal=legal or {}
                )
            )
            admin = _first_admin_create(admin_email, admin_password)
            set_password_url = portal_base_url(domain) + reverse(
                "wagtailadmin_password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(admin.pk)),
                    "token": default_token_generator.make_token(admin),
                },
                urlconf=settings.ROOT_URLCONF,
            )
    return OnboardingResult(municipality, admin.get_username(), set_password_url)


def _first_admin_create(email: str, password: str | None):  # type: ignore[no-untyped-def]
    user_model = get_user_model()
    user = user_model(username=email, email=email, is_staff=True, is_superuser=True)
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def municipality_suspend(*, municipality: Municipality, reason: SuspensionReason) -> bool:
    """Suspend a municipality's portal; nothing is deleted. False when it was suspended already."""
    locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if locked.status == Municipality.Status.SUSPENDED:
        return False
    locked.status = Municipality.Status.SUSPENDED
    locked.suspended_for = reason
    locked.save(update_fields=["status", "suspended_for"])
    municipality.status, municipality.suspended_for = locked.status, locked.suspended_for
    return True


class GoLiveRefused(ValidationError):
    """The portal may not go live: ``missing`` names what its go-live checklist still lacks."""

    def __init__(self, municipality: Municipality, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            _("%(name)s cannot go live yet. Missing: %(missing)s")
            % {"name": municipality.name, "missing": "; ".join(missing)}
        )


def municipality_go_live_missing(municipality: Municipality) -> list[str]:
    """What the municipality's go-live checklist still lacks (read in its schema); empty when complete."""
    with schema_context(municipality.schema_name):
        return go_live_missing()


@transaction.atomic
def municipality_resume(*, municipality: Municipality, reason: SuspensionReason | None = None) -> bool:
    """Make a suspended municipality active (live) again; False when it was not suspended.

    With a ``reason``, only a suspension for that reason is lifted: a paid invoice resumes what
    billing suspended, never what the office suspended for other reasons. No portal goes live with an
    incomplete go-live checklist: the office gets ``GoLiveRefused`` naming what is missing; a paid invoice
    leaves the portal suspended for set-up instead.
    """
    locked = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if locked.status != Municipality.Status.SUSPENDED or (reason and locked.suspended_for != reason):
        return False
    missing = municipality_go_live_missing(locked)
    if missing:
        if reason is None:
            raise GoLiveRefused(locked, missing)
        locked.suspended_for = SuspensionReason.SETUP
        locked.save(update_fields=["suspended_for"])
        municipality.suspended_for = locked.suspended_for
        return False
    locked.status = Municipality.Status.ACTIVE
    locked.suspended_for = ""
    locked.save(update_fields=["status", "suspended_for"])
    municipality.status, municipality.suspended_for = locked.status, locked.suspended_for
    return True


def municipality_delete(municipality: Municipality) -> None:
    """Drop a municipality's schema and its rows in public (never while a schema is being cloned)."""
    with transaction.atomic():
        schema_ddl_lock(exclusive=True)
        use_public_schema()
        with connection.cursor() as cursor:
            # Deferred FK checks from earlier writes in this transaction block DROP SCHEMA.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        municipality.delete(force_drop=True)
