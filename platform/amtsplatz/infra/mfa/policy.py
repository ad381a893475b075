"""Who must pass the second factor where (docs/decisions/0079-staff-two-factor-and-single-sign-on.md).

Staff areas are ``/cms/`` of a municipality and ``/office/`` of the platform host. A staff member with a
confirmed device passes the one-time password step after every login; administrators (superusers and
members of ``AMTSPLATZ_2FA_MANDATORY_GROUPS``) without a device are sent to enrolment first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.urls import reverse

STAFF_AREAS = ("/cms/", "/office/")


def staff_area(path: str) -> str | None:
    """The staff area ``path`` belongs to (``/cms/`` or ``/office/``), or None for the public portal."""
    return next((area for area in STAFF_AREAS if path.startswith(area)), None)


def open_paths() -> tuple[str, ...]:
    """Paths of a staff area reachable before the second factor: its login, logout and the 2FA pages."""
    names = ("mfa:verify", "mfa:enrol")
    return tuple(reverse(name) for name in names)


def is_staff_member(user: User | AnonymousUser, area: str) -> bool:
    """Whether ``user`` works in ``area``: every user of the platform host, editors of a portal."""
    if not user.is_authenticated:
        return False
    if area == "/office/":
        return True
    return bool(user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def second_factor_mandatory(user: User) -> bool:
    """Administrators may not work without a second factor (unless switched off for the whole installation)."""
    if not settings.AMTSPLATZ_STAFF_2FA_MANDATORY:
        return False
    return user.is_superuser or user.groups.filter(name__in=settings.AMTSPLATZ_2FA_MANDATORY_GROUPS).exists()


def passed(request: HttpRequest) -> bool:
    """Whether this session's login was completed with a one-time password (django-otp's verification)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())
