"""The login state for the portal header, without touching the session of a visitor who has none.

Reading ``request.user`` loads the session and makes the response vary on the cookie, which would keep
every anonymous page out of the page cache (ADR 0007). Without a session cookie the visitor is anonymous
by definition, and the page (with the "Log in" link only) may be cached and served to everybody. With a
cookie the page cache is bypassed, so a citizen's name never lands in a cached page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def account_state(request: HttpRequest) -> dict[str, object]:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"citizen_logged_in_as": ""}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {"citizen_logged_in_as": ""}
    return {"citizen_logged_in_as": str(user.email or user.get_username())}
