"""Who is filing: a citizen account, or a guest whose e-mail address a magic link verified.

Tokens are signed, expire after seven days and name the municipality's schema, so a link of
one municipality proves nothing on another's host.
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest

from tenants.db import current_schema

SALT = "amtsplatz.applications.verified-email"
MAX_AGE = 7 * 24 * 3600
SESSION_KEY = "applications_verified_email"


def email_token(email: str) -> str:
    return signing.dumps({"email": email.strip().lower(), "schema": current_schema()}, salt=SALT, compress=True)


def email_from_token(token: str) -> str | None:
    """The verified address a token stands for, or None when it is forged, expired or foreign."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("schema") != current_schema():
        return None
    return str(payload.get("email") or "") or None


def remember_email(request: HttpRequest, email: str) -> None:
    request.session[SESSION_KEY] = email.strip().lower()


def verified_email(request: HttpRequest) -> str | None:
    """The citizen's verified address: the account's, or the one a magic link verified."""
    user = request.user
    email_of_user = str(getattr(user, "email", "") or "")
    if user.is_authenticated and not user.is_staff and email_of_user:
        return email_of_user.lower()
    email = request.session.get(SESSION_KEY)
    return str(email) if email else None
