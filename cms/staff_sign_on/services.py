"""Writes of the staff login: the account a provider's subject stands for, and its mapped groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from cms.staff_sign_on.models import StaffIdentity, StaffSignOn


class NoRole(Exception):
    """The provider vouches for the person, but none of their groups gives a role in this portal."""


def mapped_groups(config: StaffSignOn, claims: dict[str, Any]) -> list[Group]:
    """The portal groups the claim's provider groups map to."""
    raw = claims.get(config.groups_claim) or []
    provider_groups = {raw} if isinstance(raw, str) else {str(group) for group in raw}
    names = {portal for provider, portal in config.mapping().items() if provider in provider_groups}
    return list(Group.objects.filter(name__in=names))


@transaction.atomic
def staff_sign_on(*, config: StaffSignOn, claims: dict[str, Any]) -> User:
    """The staff account of the subject in ``claims`` (made on first login), its mapped groups set anew.

    Groups that appear in the mapping are granted or withdrawn by the provider; other groups stay as an
    administrator set them. An account made here has no password and is never a superuser.
    """
    groups = mapped_groups(config, claims)
    if not groups:
        raise NoRole
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    identity = StaffIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is None:
        email = str(claims.get("email") or "")
        user = get_user_model().objects.create_user(
            username=f"sso:{subject}"[:150],
            email=email,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()
        user.is_staff = True
        user.save()
        StaffIdentity.objects.create(issuer=issuer, subject=subject, user=user)
    else:
        user = identity.user
    if not user.is_active:
        raise NoRole
    managed = Group.objects.filter(name__in=set(config.mapping().values()))
    user.groups.remove(*managed.exclude(pk__in=[group.pk for group in groups]))
    user.groups.add(*groups)
    return user
