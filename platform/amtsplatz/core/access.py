"""Access rules of the cooperation office (users of the public schema)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

OFFICE_LOGIN_URL = "/office/login/"

View = Callable[..., HttpResponse]


def office_permission_required(permission: str) -> Callable[[View], View]:
    """Only logged-in office staff holding ``permission`` get through; others go to the office login."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), OFFICE_LOGIN_URL)
            if not (user.is_staff and user.has_perm(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
