"""``{% staff_sign_on_usable %}``: whether the /cms/ login page offers the identity provider's login."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from cms.staff_sign_on.models import StaffSignOn

register = template.Library()


@register.simple_tag
def staff_sign_on_usable(request: HttpRequest) -> bool:
    return StaffSignOn.load(request_or_site=request).usable
