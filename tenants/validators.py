"""Validation of municipality identifiers (AGS, slug, domain)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Amtlicher Gemeindeschlüssel: 2 digits state, 1 Regierungsbezirk, 2 Kreis, 3 Gemeinde.
AGS_PATTERN = re.compile(r"^\d{8}$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
DOMAIN_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$"
)
RESERVED_SLUGS = frozenset(
    {
        "public",
        "template",
        "template-municipality",
        "information-schema",
        "admin",
        "www",
        "api",
        "static",
        "media",
        "platform",
        "amtsplatz",
    }
)


def validate_ags(value: str) -> None:
    """An AGS has 8 digits and starts with the code of one of the 16 federal states."""
    from tenants.models import FederalState

    if not AGS_PATTERN.match(value or ""):
        raise ValidationError(
            _("The municipality key (AGS) must have exactly 8 digits, e.g. 16052000."),
            code="ags_format",
        )
    if value[:2] not in FederalState.values:
        raise ValidationError(
            _("The municipality key (AGS) must start with a state code from 01 to 16, not %(code)s."),
            code="ags_state",
            params={"code": value[:2]},
        )


def validate_slug(value: str) -> None:
    """Slugs become schema names: lower case letters, digits and hyphens; no reserved names."""
    if not SLUG_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "The short name must have 3 to 40 lower-case letters, digits or hyphens and start "
                "with a letter, e.g. 'gera' or 'bad-lausick'."
            ),
            code="slug_format",
        )
    if value in RESERVED_SLUGS or value.startswith("pg-"):
        raise ValidationError(
            _("The short name '%(slug)s' is reserved by the platform; choose another."),
            code="slug_reserved",
            params={"slug": value},
        )


def validate_domain(value: str) -> None:
    """A host name without scheme, port or path, e.g. gera.localhost or portal.gera.de."""
    if not DOMAIN_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "'%(domain)s' is not a valid host name; give it without http:// and without a path, "
                "e.g. gera.localhost."
            ),
            code="domain_format",
            params={"domain": value},
        )
