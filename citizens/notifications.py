"""E-mails about a citizen's account and address: the magic links."""

from __future__ import annotations

from tenants.context import municipality_base_url
from tenants.db import current_municipality
from themes.mail import branded_mail_send


def absolute(path: str) -> str:
    return municipality_base_url(current_municipality()) + path


def magic_link(*, email: str, link: str, purpose: str, language: str) -> None:
    """The link that verifies an address (and resumes a draft)."""
    branded_mail_send(
        template="citizens/email/magic_link.txt",
        context={"link": link, "purpose": purpose},
        recipient=email,
        language=language,
    )


def password_reset(*, email: str, link: str, language: str) -> None:
    """The link that sets a new password of a citizen account."""
    branded_mail_send(
        template="citizens/email/password_reset.txt", context={"link": link}, recipient=email, language=language
    )
