"""Permissions-Policy: the browser features the portals never use are switched off for them and their frames.

No page asks for the camera, microphone, position, payment handlers or sensors (photos are chosen through the
file input, payments are a redirect to Stripe Checkout); a script injected anywhere cannot ask for them either.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


def permissions_policy_allowing(*features: str) -> str:
    """The policy with ``features`` allowed for the page's own origin only (e.g. "use my location" on the
    defect form, where the visitor's click asks for the position); frames stay denied."""
    return ", ".join(f"{feature}=(self)" if feature in features else f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` to every answer that does not set one of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
