"""The Content-Security-Policies of Amtsplatz, one per area (docs/security.md, ADR 0072).

Constants only, so that the settings module can read them without loading Django's request machinery.
``csp.constants.NONCE`` stands for the request's nonce; django-csp fills it in per answer.

- **Portals** (everything on a municipality's host outside ``/cms/``) and the **office console**: scripts and
  style blocks only from our own origin or with the request's nonce; no inline handlers, no ``eval``, no
  plugins; nothing framed, no ``<base>`` to elsewhere; forms post only to ourselves. The exceptions are named:
  map tiles from OpenStreetMap (loaded only after the visitor asks for the map), the redirect to Stripe
  Checkout after "pay" (Chromium checks ``form-action`` on the redirect of a form post), Stripe's onboarding
  for the office, Stripe's customer portal for a municipality's administrator.
- **Wagtail's admin** (``/cms/``): Wagtail 8 writes a few inline scripts without a nonce (inline panels, the
  multiple chooser, date and time widgets) and style attributes throughout, so scripts and styles may be
  inline there; everything else stays as strict as on the portals, and only our own pages may frame it
  (Wagtail's preview).
"""

from __future__ import annotations

from typing import Any

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

REPORT_PATH = "/csp-report"
OSM_TILES = "https://tile.openstreetmap.org"
STRIPE_CHECKOUT = "https://checkout.stripe.com"
STRIPE_CONNECT = "https://connect.stripe.com"
STRIPE_CUSTOMER_PORTAL = "https://billing.stripe.com"

_STRICT: dict[str, Any] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    # data: for small images in style sheets (Swagger UI's icons); nothing else inline.
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
    "report-uri": [REPORT_PATH],
}

PORTAL: dict[str, Any] = {
    **_STRICT,
    "img-src": [SELF, "data:", OSM_TILES],
    "form-action": [SELF, STRIPE_CHECKOUT],
}

OFFICE: dict[str, Any] = {**_STRICT, "form-action": [SELF, STRIPE_CONNECT]}

CMS: dict[str, Any] = {
    **_STRICT,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", OSM_TILES],
    "frame-ancestors": [SELF],
    "form-action": [SELF, STRIPE_CUSTOMER_PORTAL],
}

MODES = ("enforce", "report-only")


def policy_for_path(path: str) -> dict[str, Any]:
    """The directives for a request path: Wagtail's admin, the office console, or a portal."""
    if path.startswith("/cms/"):
        return CMS
    if path.startswith("/office/"):
        return OFFICE
    return PORTAL
