"""What the participation views share: the participant decorators, abuse answers, messages, the map."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from citizens.decorators import login_url
from participation import selectors
from participation.antispam import Automated, RateLimited
from participation.models import ParticipationSettings, Space
from participation.states import Moderation

View = Callable[..., HttpResponse]


def _language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


def guarded(view: View) -> View:
    """Answer rate limits with 429 and honeypot hits with 400, each with a page a person understands."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except RateLimited as limited:
            minutes = max(limited.retry_after // 60, 1)
            response = render(request, "participation/rate_limited.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except Automated:
            return render(request, "participation/refused.html", status=400)

    return wrapper


def _where_to_get_a_profile(request: HttpRequest) -> HttpResponse:
    """Where a visitor without a participation profile gets one: log in, or choose a pseudonym."""
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect(f"{reverse('participation:profile')}?{urlencode({'next': request.get_full_path()})}")
    if request.user.is_authenticated:
        messages.error(request, _("Staff accounts cannot take part as citizens."))
        return redirect("participation:start")
    return redirect(login_url(request))


def participant_for(
    *, methods: Collection[str] | None = None, guests: Callable[[HttpRequest], bool] | None = None
) -> Callable[[View], View]:
    """Passes the visitor's participation profile as ``participant`` (None where the request needs none).

    Requests with one of ``methods`` (every method when None) need a profile, unless ``guests`` lets this
    visitor take part as a guest; without one the visitor is sent to log in or to choose a pseudonym.
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            participant = selectors.participant_of(request.user)
            needed = methods is None or request.method in methods
            if participant is None and needed and not (guests is not None and guests(request)):
                return _where_to_get_a_profile(request)
            return view(request, *args, participant=participant, **kwargs)

        return wrapper

    return decorator


def participant_required(view: View) -> View:
    """Only with a participation profile: passes it as ``participant``; otherwise where to get one."""
    return participant_for()(view)


def _user_id(request: HttpRequest) -> int | None:
    return int(request.user.pk) if request.user.is_authenticated else None


def _held_message(request: HttpRequest, item: Any) -> None:
    if item.moderation == Moderation.PUBLISHED:
        messages.success(request, _("Thank you! Your contribution is published."))
    elif not item.checked:
        messages.success(
            request,
            _(
                "Thank you! Your browser did not run the automatic anti-spam check (JavaScript), so a moderator "
                "will look at your contribution before it appears."
            ),
        )
    else:
        messages.success(request, _("Thank you! Your contribution will appear once a moderator has approved it."))


def _map_settings() -> dict[str, Any]:
    configured = ParticipationSettings.load()
    return {"lat": float(configured.map_latitude), "lon": float(configured.map_longitude), "zoom": configured.map_zoom}


PHOTO_ERRORS = frozenset(
    {"too_many_photos", "too_large", "empty", "wrong_type", "not_accepted", "broken_image", "active_pdf"}
)


def _may_see_unpublished(request: HttpRequest) -> bool:
    return selectors.may(request.user, "moderate") or selectors.may(request.user, "work_reports")


def _space(slug: str, kind: str) -> Space:
    return get_object_or_404(Space, slug=slug, kind=kind)
