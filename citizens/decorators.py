"""View decorators for pages of citizen accounts."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

View = Callable[..., HttpResponse]


def login_url(request: HttpRequest) -> str:
    """The citizens' log-in page, coming back to the current page afterwards."""
    return f"{reverse('citizens:log-in')}?{urlencode({'next': request.get_full_path()})}"


def citizen_required(view: View) -> View:
    """Only a logged-in citizen: anonymous visitors go to the log-in page, staff accounts get a 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(login_url(request))
        if request.user.is_staff:
            raise Http404(_("Staff accounts cannot take part as citizens."))
        return view(request, *args, **kwargs)

    return wrapper
